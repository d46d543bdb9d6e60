using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Configuration;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Platform;

namespace SecureUpdate.Staging;

/// <summary>
/// Builds a verified copy of a release in a fresh owner-only staging folder: each file is
/// copied from an installed version when its digest is already there, otherwise downloaded,
/// hashed while it streams to disk, compared in constant time and fsynced.
/// </summary>
internal sealed class ReleaseStager
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly IFeedSource _feed;
    private readonly TimeProvider _timeProvider;
    private readonly SecureUpdateOptions _options;
    private long _downloaded;
    private long _reused;
    private long _bytes;

    public ReleaseStager(IFileSystem fileSystem, DiskOperations disk, IFeedSource feed, TimeProvider timeProvider, SecureUpdateOptions options)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _feed = feed;
        _timeProvider = timeProvider;
        _options = options;
    }

    public int FilesDownloaded => (int)Interlocked.Read(ref _downloaded);

    public int FilesReused => (int)Interlocked.Read(ref _reused);

    public long BytesDownloaded => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Stages <paramref name="manifest"/> into <paramref name="folder"/> (which must not exist).
    /// <paramref name="localCopies"/> maps a digest (hex) to an installed file that should have that
    /// content. <paramref name="fileStaged"/> is called after each file with the totals so far
    /// (files, bytes), one call at a time and in order, although files are staged in parallel.
    /// </summary>
    public async Task StageAsync(ReleaseManifest manifest, string folder, IReadOnlyDictionary<string, string> localCopies, Action<int, long>? fileStaged, CancellationToken cancellationToken)
    {
        var filesDone = 0;
        long bytesDone = 0;
        var progressLock = new Lock();
        _disk.CreateDirectory(folder, DiskOperations.OwnerOnlyDirectory);

        // Every folder the release needs, parents before children, each with its exact installed
        // mode whatever the umask (the staging root itself stays owner-only until it is moved in).
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            for (var slash = file.Path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = file.Path.IndexOf('/', slash + 1))
            {
                folders.Add(file.Path[..slash]);
            }
        }

        foreach (var relative in folders)
        {
            _disk.CreateDirectory(Combine(folder, relative), DiskOperations.Executable);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelDownloads), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(
            manifest.Files,
            parallel,
            async (file, token) =>
            {
                var destination = Combine(folder, file.Path);
                await StageFileAsync(file, destination, localCopies, token).ConfigureAwait(false);
                _disk.SetMode(destination, file.Executable ? DiskOperations.Executable : DiskOperations.Regular);
                if (fileStaged is not null)
                {
                    // One report at a time, in order: parallel downloads finish concurrently.
                    lock (progressLock)
                    {
                        filesDone++;
                        bytesDone += file.Size;
                        fileStaged(filesDone, bytesDone);
                    }
                }
            }).ConfigureAwait(false);

        // Make every new entry durable before anything points at them: deepest folders first, then the root.
        foreach (var relative in folders.Reverse())
        {
            _disk.FsyncDirectory(Combine(folder, relative));
        }

        _disk.FsyncDirectory(folder);
    }

    private static string Combine(string folder, string relativePath) =>
        Path.Combine(folder, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private async Task StageFileAsync(ManifestFile file, string destination, IReadOnlyDictionary<string, string> localCopies, CancellationToken cancellationToken)
    {
        if (localCopies.TryGetValue(file.Sha256Hex, out var local) && await TryCopyLocalAsync(file, local, destination, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _reused);
            return;
        }

        // A mismatch may be a broken transfer or a bad mirror: fetch once more from scratch (from the
        // next mirror, when there are several), then refuse.
        for (var attempt = 1; attempt <= _feed.BlobAttempts; attempt++)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            bool matches;
            using (var stream = _disk.CreateStagingFile(destination))
            {
                matches = file.Size == 0 || await _feed.CopyBlobAsync(FeedPaths.Blob(file.Sha256Hex), file.Size, stream, hash, cancellationToken).ConfigureAwait(false);
                matches = matches && CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), file.Sha256);
                if (matches)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            if (matches)
            {
                Interlocked.Increment(ref _downloaded);
                Interlocked.Add(ref _bytes, file.Size);
                return;
            }

            _fileSystem.File.Delete(destination);
            _feed.BlobMismatched(FeedPaths.Blob(file.Sha256Hex));
        }

        throw Error.PayloadMismatch(file.Path, file.Size, _feed.BlobAttempts);
    }

    private async Task<bool> TryCopyLocalAsync(ManifestFile file, string source, string destination, CancellationToken cancellationToken)
    {
        try
        {
            // An installed copy that is not a regular file (a planted named pipe) is not reused: the open refuses it without waiting.
            using var input = LocalFiles.OpenRegular(_fileSystem, source, noFollow: true);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var output = _disk.CreateStagingFile(destination);
            var (copied, overflow) = await StreamCopier.CopyAsync(input, output, file.Size, hash, _options.StallTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            if (!overflow && copied == file.Size && CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), file.Sha256))
            {
                output.Flush(flushToDisk: true);
                return true;
            }
        }
        catch (IOException)
        {
            // An installed copy that cannot be read is simply not reused.
        }
        catch (UnauthorizedAccessException)
        {
        }

        _fileSystem.File.Delete(destination);
        return false;
    }
}
