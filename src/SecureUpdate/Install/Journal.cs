using System.IO.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// A target's journal: one record of the operation in progress, written durably before the
/// operation changes anything visible and removed durably when it is done, so that whatever
/// instant a process dies at, the next command knows what to finish or undo.
/// </summary>
internal sealed class Journal
{
    private const int MaxBytes = 64 * 1024;

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;

    public Journal(IFileSystem fileSystem, DiskOperations disk)
    {
        _fileSystem = fileSystem;
        _disk = disk;
    }

    /// <summary>Durably records <paramref name="entry"/> as the operation in progress.</summary>
    public void Begin(TargetLayout layout, JournalDocument entry)
    {
        _disk.WriteFileAtomic(layout.Journal, StrictJson.Write(entry, SecureUpdateJsonContext.Default.JournalDocument), DiskOperations.OwnerOnlyFile);
        FaultInjection.Point("journal-written");
    }

    /// <summary>Reads the operation in progress, or null.</summary>
    public JournalDocument? Read(TargetLayout layout)
    {
        if (!_fileSystem.File.Exists(layout.Journal))
        {
            return null;
        }

        var bytes = LocalFiles.ReadCapped(_fileSystem, layout.Journal, MaxBytes, "journal");
        JournalDocument entry;
        try
        {
            entry = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.JournalDocument);
            if (entry.Schema != JournalDocument.SchemaName)
            {
                throw new FormatException("unknown schema");
            }
        }
        catch (FormatException ex)
        {
            throw Error.StateDamaged("journal", layout.Journal, ex.Message, ex);
        }

        // Threat: a planted or edited journal. Recovery removes and switches to the versions it
        // names, so each is checked exactly like a version from a signed document before any use.
        if (!SemanticVersion.TryParse(entry.Version, out _))
        {
            throw Error.LocalVersionInvalid("journal", layout.Journal, "version", entry.Version);
        }

        if (entry.Previous is not null && !SemanticVersion.TryParse(entry.Previous, out _))
        {
            throw Error.LocalVersionInvalid("journal", layout.Journal, "previous version", entry.Previous);
        }

        return entry;
    }

    /// <summary>Durably marks the operation as finished.</summary>
    public void Complete(TargetLayout layout)
    {
        FaultInjection.Point("before-journal-cleared");
        _fileSystem.File.Delete(layout.Journal);
        _disk.FsyncDirectory(layout.State);
    }
}
