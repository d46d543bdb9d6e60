using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// Re-hashes installed bytes against their signed manifest: every file, its size, digest and
/// executable bit, and nothing extra. The installed copy is local data that may have been changed
/// since it was verified, so it is never trusted because it was once.
/// </summary>
internal sealed class InstallationVerifier
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly TimeProvider _timeProvider;

    public InstallationVerifier(IFileSystem fileSystem, DiskOperations disk, TimeProvider timeProvider)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _timeProvider = timeProvider;
    }

    /// <summary>Verifies a version folder; returns the bytes verified, or throws <see cref="VerificationException"/> naming the first difference.</summary>
    public async Task<long> VerifyFolderAsync(ReleaseManifest manifest, string folder, CancellationToken cancellationToken)
    {
        var expected = new Dictionary<string, ManifestFile>(StringComparer.Ordinal);
        var expectedFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            expected[file.Path] = file;
            for (var slash = file.Path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = file.Path.IndexOf('/', slash + 1))
            {
                expectedFolders.Add(file.Path[..slash]);
            }
        }

        // Anything present that the manifest does not name (a dropped-in plugin, a symlink) fails verification.
        foreach (var entry in _fileSystem.DirectoryInfo.New(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            var relative = _fileSystem.Path.GetRelativePath(folder, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var isLink = entry.LinkTarget is not null;
            var known = entry is IDirectoryInfo ? expectedFolders.Contains(relative) : expected.ContainsKey(relative);
            if (isLink || !known)
            {
                throw Error.InstalledMismatch(manifest.Version.ToString(), $"'{Printable.Of(relative)}' is not part of the signed release");
            }
        }

        long total = 0;
        foreach (var file in manifest.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = _fileSystem.Path.Combine(folder, file.Path);
            if (!_fileSystem.File.Exists(path))
            {
                throw Error.InstalledMismatch(manifest.Version.ToString(), $"'{file.Path}' is missing");
            }

            if (!await MatchesAsync(path, file, manifest.Version.ToString(), file.Path, cancellationToken).ConfigureAwait(false))
            {
                throw Error.InstalledMismatch(manifest.Version.ToString(), $"'{file.Path}' does not match its signed SHA-256 and size");
            }

            if (_disk.IsExecutable(path) != file.Executable && !_disk.IgnoresExecutableBit)
            {
                throw Error.InstalledMismatch(manifest.Version.ToString(), $"'{file.Path}' has the wrong executable bit");
            }

            total += file.Size;
        }

        return total;
    }

    /// <summary>Verifies the one file of a single-file release at <paramref name="path"/>; returns its size, or throws <see cref="VerificationException"/>.</summary>
    public async Task<long> VerifyFileAsync(ReleaseManifest manifest, string path, CancellationToken cancellationToken)
    {
        var expected = manifest.Files[0];
        var name = Path.GetFileName(path);
        if (_fileSystem.FileInfo.New(path).LinkTarget is not null)
        {
            throw Error.InstalledMismatch(manifest.Version.ToString(), $"'{Printable.Of(name)}' is a symlink, not the installed file");
        }

        if (!_fileSystem.File.Exists(path))
        {
            throw Error.InstalledMismatch(manifest.Version.ToString(), $"'{Printable.Of(name)}' is missing");
        }

        if (!await MatchesAsync(path, expected, manifest.Version.ToString(), name, cancellationToken).ConfigureAwait(false)
            || (_disk.IsExecutable(path) != expected.Executable && !_disk.IgnoresExecutableBit))
        {
            throw Error.InstalledMismatch(manifest.Version.ToString(), $"'{Printable.Of(name)}' does not match its signed SHA-256, size and executable bit");
        }

        return expected.Size;
    }

    private async Task<bool> MatchesAsync(string path, ManifestFile file, string version, string name, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            // Never follow a symlink inside an installation, and never wait on a named pipe planted
            // there while the target's lock is held: what is not a regular file is tampering.
            stream = LocalFiles.OpenRegular(_fileSystem, path, noFollow: true);
        }
        catch (NotRegularFileException ex)
        {
            throw Error.InstalledMismatch(version, $"'{Printable.Of(name)}' {ex.Problem}");
        }

        using var owned = stream;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var (copied, overflow) = await StreamCopier.CopyAsync(stream, Stream.Null, file.Size, hash, Timeout.InfiniteTimeSpan, _timeProvider, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[SHA256.HashSizeInBytes];
        return !overflow && copied == file.Size && hash.TryGetHashAndReset(buffer, out _) && CryptographicOperations.FixedTimeEquals(buffer, file.Sha256);
    }
}
