using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Documents;
using SecureUpdate.Feed;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Staging;

/// <summary>
/// One blob being downloaded into the target's <c>partial/</c> folder: its file and, once a server gave a
/// validator, its sidecar. When it verifies it is renamed into the staging folder; when the transfer
/// fails it stays for the next run if it can be continued, otherwise it is removed.
/// </summary>
internal sealed class PartialDownload : IDisposable
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly string _sha256;
    private readonly long _size;
    private readonly FileStream _stream;
    private readonly IncrementalHash _hash;
    private bool _hasSidecar;

    public PartialDownload(IFileSystem fileSystem, DiskOperations disk, string dataPath, string sidecarPath, ManifestFile blob, FileStream stream, string? source, string? validator, StagedFileProgress? progress = null)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        DataPath = dataPath;
        SidecarPath = sidecarPath;
        _sha256 = blob.Sha256Hex;
        _size = blob.Size;
        _stream = stream;
        _hasSidecar = validator is not null;
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Destination = new BlobDestination(progress is null ? stream : progress.Count(stream), _hash, source, validator, Started);
    }

    public string DataPath { get; }

    public string SidecarPath { get; }

    public BlobDestination Destination { get; }

    /// <summary>
    /// The verified file becomes <paramref name="destination"/> in the staging folder (same file system: a rename),
    /// with its installed <paramref name="mode"/>; it is made durable with every other staged file.
    /// </summary>
    public void Complete(string destination, UnixFileMode mode)
    {
        DiskOperations.SetMode(_stream, mode);
        _stream.Dispose();
        _disk.RenameOver(DataPath, destination);
        RemoveQuietly(SidecarPath);
    }

    /// <summary>The transfer failed: kept when a server gave a validator for its bytes and there are some, else removed.</summary>
    public void Keep()
    {
        bool keep;
        try
        {
            keep = _hasSidecar && Destination.Validator is not null && _stream.Length > 0;
            _stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            keep = false;
        }

        if (!keep)
        {
            Discard();
        }
    }

    /// <summary>The bytes did not verify, or cannot be kept: both files are removed.</summary>
    public void Discard()
    {
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // The file is removed below whatever state its descriptor was in.
        }

        RemoveQuietly(DataPath);
        RemoveQuietly(SidecarPath);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _hash.Dispose();
    }

    /// <summary>A whole body starts from byte 0: its URL and validator are written down before its bytes are relied upon.</summary>
    private void Started(string source, string? validator)
    {
        _hasSidecar = false;
        if (validator is null)
        {
            RemoveQuietly(SidecarPath);
            return;
        }

        try
        {
            var document = new PartialDownloadDocument { Schema = PartialDownloadDocument.SchemaName, Sha256 = _sha256, Size = _size, Source = source, Validator = validator };
            _disk.WriteFileAtomic(SidecarPath, StrictJson.Write(document, SecureUpdateJsonContext.Default.PartialDownloadDocument), DiskOperations.OwnerOnlyFile);
            _hasSidecar = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A partial is only an optimisation: without its sidecar it is not kept, and the download goes on.
            RemoveQuietly(SidecarPath);
        }
    }

    private void RemoveQuietly(string path)
    {
        try
        {
            _fileSystem.DeletePath(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next run checks and throws away whatever it cannot use.
        }
    }
}
