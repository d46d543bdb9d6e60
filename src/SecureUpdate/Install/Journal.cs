using System.IO.Abstractions;
using SecureUpdate.Formats;
using SecureUpdate.IO;

namespace SecureUpdate.Install;

/// <summary>
/// The target's journal: one record of the operation in progress, written durably before the
/// operation changes anything visible and removed durably when it is done, so that whatever
/// instant a process dies at, the next command knows what to finish or undo.
/// </summary>
internal static class Journal
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>Durably records <paramref name="entry"/> as the operation in progress.</summary>
    public static void Begin(TargetPaths paths, JournalDocument entry)
    {
        DiskOperations.WriteFileAtomic(paths.Journal, StrictJson.Write(entry, SecureUpdateJsonContext.Default.JournalDocument), DiskOperations.OwnerOnlyFile);
        FaultInjection.Point("journal-written");
    }

    /// <summary>Reads the operation in progress, or null.</summary>
    public static JournalDocument? Read(IFileSystem fileSystem, TargetPaths paths)
    {
        if (!fileSystem.File.Exists(paths.Journal))
        {
            return null;
        }

        var bytes = LocalFiles.ReadCapped(fileSystem, paths.Journal, MaxBytes, "journal");
        try
        {
            var entry = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.JournalDocument);
            return entry.Schema == JournalDocument.SchemaName ? entry : throw new FormatException("unknown schema");
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target's journal '{paths.Journal}' is damaged: {ex.Message}.", ex);
        }
    }

    /// <summary>Durably marks the operation as finished.</summary>
    public static void Complete(TargetPaths paths)
    {
        FaultInjection.Point("before-journal-cleared");
        File.Delete(paths.Journal);
        DiskOperations.FsyncDirectory(paths.State);
    }
}
