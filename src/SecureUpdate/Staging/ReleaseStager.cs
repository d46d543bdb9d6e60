using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using SecureUpdate.Configuration;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Platform;

namespace SecureUpdate.Staging;

/// <summary>
/// Builds a verified copy of a release in a fresh owner-only staging folder: each file is taken
/// from an installed version when its digest is already there (hashed, then cloned where the file
/// system shares extents, else hard-linked, else copied; see
/// <see cref="SecureUpdateOptions.HardLinkUnchangedFiles"/>), otherwise downloaded, hashed while it
/// streams to disk and compared in constant time. All files are made durable together once every
/// one is staged, before anything points at them.
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

    // Learnt from the first failure, so a file system without reflinks (ext4) or hard links is not asked for every file.
    private volatile bool _cannotClone;
    private volatile bool _cannotLink;

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
    /// The target's folder of interrupted downloads (<see cref="PartialDownloads"/>), or null to keep none:
    /// large blobs are downloaded there, continued from where an earlier run stopped, and renamed into
    /// the staging folder once they verify.
    /// </summary>
    public string? PartialFolder { get; init; }

    /// <summary>
    /// Stages <paramref name="manifest"/> into <paramref name="folder"/> (which must not exist).
    /// <paramref name="localCopies"/> maps a digest (hex) to an installed file that should have that
    /// content. <paramref name="progress"/>, when given, counts the bytes written into each staging
    /// file and reports at its bounded rate, from a first report to a final one once all is durable.
    /// </summary>
    public async Task StageAsync(ReleaseManifest manifest, string folder, IReadOnlyDictionary<string, string> localCopies, StagingProgress? progress, CancellationToken cancellationToken)
    {
        progress?.Start();
        var partials = PartialFolder is null ? null : new PartialDownloads(_fileSystem, _disk, PartialFolder);
        partials?.Prune(manifest);
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
        var staged = Parallel.ForEachAsync(
            manifest.Files,
            parallel,
            async (file, token) =>
            {
                var destination = Combine(folder, file.Path);
                var fileProgress = progress?.Begin(file.Path, file.Size);
                await StageFileAsync(file, destination, localCopies, partials, fileProgress, token).ConfigureAwait(false);
                fileProgress?.Complete();
            });
        await FinishPartialsAsync(staged, partials).ConfigureAwait(false);

        // Make every new entry durable before anything points at them: the files in one pass (one fsync per
        // file would cost a journal commit or a disk cache flush each), then the deepest folders first, then the root.
        _disk.MakeDurable(folder, manifest.Files.Select(file => Combine(folder, file.Path)));
        foreach (var relative in folders.Reverse())
        {
            _disk.FsyncDirectory(Combine(folder, relative));
        }

        _disk.FsyncDirectory(folder);
        progress?.Finish();
    }

    /// <summary>Waits for every file; then nothing kept is needed any more, or, after a failure, only what can be continued stays.</summary>
    private static async Task FinishPartialsAsync(Task staged, PartialDownloads? partials)
    {
        try
        {
            await staged.ConfigureAwait(false);
        }
        catch
        {
            partials?.RemoveIfEmpty();
            throw;
        }

        partials?.Clear();
    }

    private static string Combine(string folder, string relativePath) =>
        Path.Combine(folder, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Progress counts the bytes written into the staging file, through a wrapper (none when nobody listens).</summary>
    private static Stream Counted(Stream destination, StagedFileProgress? fileProgress) =>
        fileProgress is null ? destination : fileProgress.Count(destination);

    private async Task StageFileAsync(ManifestFile file, string destination, IReadOnlyDictionary<string, string> localCopies, PartialDownloads? partials, StagedFileProgress? fileProgress, CancellationToken cancellationToken)
    {
        if (localCopies.TryGetValue(file.Sha256Hex, out var local) && await TryCopyLocalAsync(file, local, destination, fileProgress, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _reused);
            return;
        }

        // A mismatch may be a broken transfer, a bad mirror or a bad partial file: fetch once more from scratch
        // (from the next mirror, when there are several), then refuse.
        for (var attempt = 1; attempt <= _feed.BlobAttempts; attempt++)
        {
            // Kept bytes are worth it only where a later run can continue them (HTTP); a folder is copied again.
            var matches = _feed.CanResume && partials?.Open(file, fileProgress) is { } partial
                ? await DownloadResumablyAsync(file, destination, partial, cancellationToken).ConfigureAwait(false)
                : await DownloadAsync(file, destination, fileProgress, cancellationToken).ConfigureAwait(false);
            if (matches)
            {
                Interlocked.Increment(ref _downloaded);
                Interlocked.Add(ref _bytes, file.Size);
                return;
            }

            _feed.BlobMismatched(FeedPaths.Blob(file.Sha256Hex));
        }

        throw Error.PayloadMismatch(file.Path, file.Size, _feed.BlobAttempts);
    }

    /// <summary>Downloads straight into the staging folder; false (and nothing left) when the bytes do not match.</summary>
    private async Task<bool> DownloadAsync(ManifestFile file, string destination, StagedFileProgress? fileProgress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        bool matches;
        using (var stream = _disk.CreateStagingFile(destination, ModeOf(file)))
        {
            matches = file.Size == 0 || await _feed.CopyBlobAsync(FeedPaths.Blob(file.Sha256Hex), file.Size, new BlobDestination(Counted(stream, fileProgress), hash, empty: true), cancellationToken).ConfigureAwait(false);
            matches = matches && CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), file.Sha256);
        }

        if (!matches)
        {
            _fileSystem.File.Delete(destination);
        }

        return matches;
    }

    /// <summary>
    /// Downloads into the blob's partial file, continuing what an earlier run or try left there, and renames
    /// it into the staging folder once it matches; false (and the partial removed) when it does not. A
    /// transfer that fails keeps what can be continued for the next run.
    /// </summary>
    private async Task<bool> DownloadResumablyAsync(ManifestFile file, string destination, PartialDownload partial, CancellationToken cancellationToken)
    {
        using (partial)
        {
            bool matches;
            try
            {
                matches = await _feed.CopyBlobAsync(FeedPaths.Blob(file.Sha256Hex), file.Size, partial.Destination, cancellationToken).ConfigureAwait(false)
                    && CryptographicOperations.FixedTimeEquals(partial.Destination.Hash.GetHashAndReset(), file.Sha256);
            }
            catch (Exception ex) when (ex is TransportException or OperationCanceledException)
            {
                partial.Keep();
                throw;
            }
            catch
            {
                partial.Discard();
                throw;
            }

            if (matches)
            {
                partial.Complete(destination, ModeOf(file));
            }
            else
            {
                partial.Discard();
            }

            return matches;
        }
    }

    /// <summary>The installed mode, given when the staging file is created (so no chmod by path follows).</summary>
    private static UnixFileMode ModeOf(ManifestFile file) => file.Executable ? DiskOperations.Executable : DiskOperations.Regular;

    /// <summary>
    /// Takes a file from an installed version, verified against the signed digest either way (the installed
    /// copy is local data that may have been changed; a mismatch means it is not reused but downloaded).
    /// A copy that only this user can change is hashed where it lies (usually from the page cache) and then
    /// shared, provided nothing wrote to it meanwhile: cloned where the file system shares extents
    /// (reflink), else hard-linked when the options allow it and its mode is already the release's. Any
    /// other copy, or one that cannot be shared, is copied and hashed while it is written.
    /// </summary>
    private async Task<bool> TryCopyLocalAsync(ManifestFile file, string source, string destination, StagedFileProgress? fileProgress, CancellationToken cancellationToken)
    {
        try
        {
            // Opened to be shared only while a clone or a link may still work; otherwise straight to the copy.
            var link = _options.HardLinkUnchangedFiles && !_cannotLink;
            if ((!_cannotClone || link) && TryShareInstalled(file, source, destination, link, fileProgress, cancellationToken) is { } shared)
            {
                return shared;
            }

            // An installed copy that is not a regular file (a planted named pipe) is not reused: the open refuses it without waiting.
            using var input = LocalFiles.OpenRegular(_fileSystem, source, noFollow: true);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var output = _disk.CreateStagingFile(destination, ModeOf(file));
            var (copied, overflow) = await StreamCopier.CopyAsync(input, Counted(output, fileProgress), file.Size, hash, _options.StallTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            if (!overflow && copied == file.Size && CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), file.Sha256))
            {
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

    /// <summary>
    /// The shared way of <see cref="TryCopyLocalAsync"/>: true when the installed copy matched and is now shared
    /// with the staging folder, false when it does not match (it is downloaded instead), null when it is to be
    /// copied (not Linux, not only ours, or it could not be shared after all). One descriptor serves the check of
    /// its kind, its stamp, the hash and the share, with no file position and no stream around it.
    /// </summary>
    private bool? TryShareInstalled(ManifestFile file, string source, string destination, bool link, StagedFileProgress? fileProgress, CancellationToken cancellationToken)
    {
        using var installed = DiskOperations.OpenToShare(source, out var stamp);
        if (installed is null)
        {
            return null;
        }

        if (stamp.Size != file.Size)
        {
            return false;
        }

        link = link && stamp.Permissions == ModeOf(file);
        if (!DiskOperations.IsOnlyOurs(stamp) || (_cannotClone && !link))
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var read = LocalHasher.Hash(installed, file.Size, hash, fileProgress is null ? null : fileProgress.Reached, cancellationToken);
        if (read != file.Size || !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), file.Sha256))
        {
            return false;
        }

        // Not shared after all: copied by the caller, and hashed again while it is written.
        return TryShare(installed, stamp, destination, ModeOf(file), link) ? true : null;
    }

    /// <summary>
    /// Shares the hashed installed copy with the staging folder: a clone, else (when <paramref name="link"/>)
    /// a hard link of the opened inode. Only while its stamp is still the one taken before it was hashed,
    /// so what is shared is exactly what was verified. False, and nothing left, when it cannot be shared;
    /// a file system that cannot clone or link is not asked again during this staging.
    /// </summary>
    private bool TryShare(SafeFileHandle installed, FileStamp stamp, string destination, UnixFileMode mode, bool link)
    {
        FaultInjection.Pause("after-hash-before-share");
        if (!_cannotClone)
        {
            bool cloned;
            using (var output = _disk.CreateStagingFile(destination, mode))
            {
                cloned = _disk.TryClone(installed, output);
            }

            // The clone holds the source's bytes as they were at the ioctl; the unchanged stamp says they are the hashed ones.
            if (cloned && DiskOperations.Stamp(installed) == stamp)
            {
                return true;
            }

            if (!cloned)
            {
                _cannotClone = true;
            }

            _fileSystem.File.Delete(destination);
        }

        // A hard link changes the inode's ctime, so the stamp is compared just before; a write after
        // this point is a write to the installed version itself, which the owner alone can make.
        if (link && DiskOperations.Stamp(installed) == stamp)
        {
            if (_disk.TryHardLink(installed, destination))
            {
                return true;
            }

            _cannotLink = true;
        }

        return false;
    }
}
