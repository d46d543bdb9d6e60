using System.Collections.Concurrent;
using System.IO.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Staging;

/// <summary>
/// Interrupted downloads kept between runs in a target's owner-only <c>partial/</c> folder
/// (docs/formats.md, "Partial downloads"): <c>HEX</c>, the bytes received so far of the blob whose
/// SHA-256 is HEX, and <c>HEX.json</c>, the URL they came from and the validator the server gave.
/// Everything there is treated as hostile local state: a file that is not a private regular file with
/// one name, a sidecar that does not parse strictly or does not name this very blob, are thrown away
/// and the download starts from byte 0; nothing found there ever fails an apply. What is kept is
/// bounded: one partial per blob of the release being applied, and nothing once a release is staged.
/// </summary>
internal sealed class PartialDownloads
{
    /// <summary>Smaller blobs are not kept: fetching them again costs less than writing a sidecar.</summary>
    public const long MinimumSize = 1024 * 1024;

    /// <summary>A sidecar is a few hundred bytes; anything larger is not one.</summary>
    private const int SidecarCap = 4096;

    private const int MaxSourceLength = 2048;
    private const int MaxValidatorLength = 256;
    private const string SidecarSuffix = ".json";

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, bool> _claimed = new(StringComparer.Ordinal);

    public PartialDownloads(IFileSystem fileSystem, DiskOperations disk, string folder)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _folder = folder;
    }

    /// <summary>Removes everything in the folder that is not the partial of a blob of <paramref name="manifest"/> worth keeping; best effort.</summary>
    public void Prune(ReleaseManifest manifest)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files.Where(file => file.Size >= MinimumSize))
        {
            keep.Add(file.Sha256Hex);
            keep.Add(file.Sha256Hex + SidecarSuffix);
        }

        Quietly(() =>
        {
            if (!IsOwnFolder())
            {
                return;
            }

            foreach (var entry in _fileSystem.Directory.EnumerateFileSystemEntries(_folder).ToList())
            {
                if (!keep.Contains(_fileSystem.Path.GetFileName(entry)))
                {
                    Quietly(() => _fileSystem.DeletePath(entry));
                }
            }
        });
    }

    /// <summary>
    /// Claims the partial of <paramref name="file"/>'s blob for this run and opens it, with what may be
    /// continued of it; null when another file of the release with the same content has claimed it, or
    /// it cannot be used (the caller then downloads straight into the staging folder).
    /// </summary>
    public PartialDownload? Open(ManifestFile file, StagedFileProgress? progress = null)
    {
        var name = file.Sha256Hex;
        if (file.Size < MinimumSize || !_claimed.TryAdd(name, true))
        {
            return null;
        }

        var data = _fileSystem.Path.Combine(_folder, name);
        var sidecar = data + SidecarSuffix;
        try
        {
            if (_disk.Inspect(_folder).Kind == LayoutEntryKind.Missing)
            {
                _disk.CreateDirectory(_folder, DiskOperations.OwnerOnlyDirectory);
            }

            if (!IsOwnFolder())
            {
                return null;
            }

            var kept = ReadSidecar(sidecar, file);
            if (kept is null)
            {
                // Bytes without a sidecar that names them are never continued.
                _fileSystem.DeletePath(data);
            }

            FileStream stream;
            try
            {
                stream = DiskOperations.OpenPartialFile(data);
            }
            catch (IOException)
            {
                // A symlink, a named pipe, a hard link, someone else's file: thrown away, and a fresh file instead.
                _fileSystem.DeletePath(data);
                _fileSystem.DeletePath(sidecar);
                kept = null;
                stream = DiskOperations.OpenPartialFile(data);
            }

            return new PartialDownload(_fileSystem, _disk, data, sidecar, file, stream, kept?.Source, kept?.Validator, progress);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>After a release is staged: nothing kept is needed any more.</summary>
    public void Clear() => Quietly(() =>
    {
        if (IsOwnFolder())
        {
            _fileSystem.DeletePath(_folder);
        }
    });

    /// <summary>After a failed stage: the folder goes when nothing in it can be continued.</summary>
    public void RemoveIfEmpty() => Quietly(() =>
    {
        if (IsOwnFolder() && !_fileSystem.Directory.EnumerateFileSystemEntries(_folder).Any())
        {
            _fileSystem.Directory.Delete(_folder);
        }
    });

    private static void Quietly(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a partial is only an optimisation, and the next run checks everything again.
        }
    }

    /// <summary>A real folder (the layout check refuses a target whose <c>partial/</c> is anything else; this is checked again right before use).</summary>
    private bool IsOwnFolder() => _disk.Inspect(_folder).Kind == LayoutEntryKind.Folder;

    /// <summary>The sidecar of <paramref name="file"/>'s partial when it is a private regular file that parses strictly and names this very blob; otherwise it is removed and null.</summary>
    private PartialDownloadDocument? ReadSidecar(string path, ManifestFile file)
    {
        byte[] bytes;
        try
        {
            bytes = DiskOperations.ReadPartialSidecar(path, SidecarCap);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            _fileSystem.DeletePath(path);
            return null;
        }

        try
        {
            var document = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.PartialDownloadDocument);
            if (document.Schema == PartialDownloadDocument.SchemaName
                && document.Sha256 == file.Sha256Hex
                && document.Size == file.Size
                && IsHttpUrl(document.Source)
                && document.Validator.Length is > 0 and <= MaxValidatorLength
                && document.Validator.All(c => c is >= ' ' and <= '~'))
            {
                return document;
            }
        }
        catch (FormatException)
        {
        }

        _fileSystem.DeletePath(path);
        return null;
    }

    private static bool IsHttpUrl(string source) =>
        source.Length <= MaxSourceLength
        && Uri.TryCreate(source, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.UserInfo);
}
