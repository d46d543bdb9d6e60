using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.IO;
using SecureUpdate.Manifests;

namespace SecureUpdate.Install;

/// <summary>Re-hashes an installed version folder against its signed manifest: every file, its size, digest and executable bit, and nothing extra.</summary>
internal static class InstallationVerifier
{
    /// <summary>Verifies <paramref name="folder"/>; throws <see cref="VerificationException"/> naming the first difference.</summary>
    public static async Task<long> VerifyFolderAsync(IFileSystem fileSystem, ReleaseManifest manifest, string folder, TimeProvider timeProvider, CancellationToken cancellationToken)
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
        foreach (var entry in fileSystem.DirectoryInfo.New(folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            var relative = fileSystem.Path.GetRelativePath(folder, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var isLink = entry.LinkTarget is not null;
            var known = entry is IDirectoryInfo ? expectedFolders.Contains(relative) : expected.ContainsKey(relative);
            if (isLink || !known)
            {
                throw Mismatch(manifest, $"'{DocumentParser.Printable(relative)}' is not part of the signed release");
            }
        }

        long total = 0;
        var buffer = new byte[SHA256.HashSizeInBytes];
        foreach (var file in manifest.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = fileSystem.Path.Combine(folder, file.Path);
            if (!fileSystem.File.Exists(path))
            {
                throw Mismatch(manifest, $"'{file.Path}' is missing");
            }

            using (var stream = fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var (copied, overflow) = await StreamCopier.CopyAsync(stream, Stream.Null, file.Size, hash, Timeout.InfiniteTimeSpan, timeProvider, cancellationToken).ConfigureAwait(false);
                if (overflow || copied != file.Size || !hash.TryGetHashAndReset(buffer, out _) || !CryptographicOperations.FixedTimeEquals(buffer, file.Sha256))
                {
                    throw Mismatch(manifest, $"'{file.Path}' does not match its signed SHA-256 and size");
                }
            }

            if (!OperatingSystem.IsWindows())
            {
                var executable = (fileSystem.File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
                if (executable != file.Executable)
                {
                    throw Mismatch(manifest, $"'{file.Path}' has the wrong executable bit");
                }
            }

            total += file.Size;
        }

        return total;
    }

    private static VerificationException Mismatch(ReleaseManifest manifest, string detail) =>
        new(ErrorCode.HashMismatch, UpdateStage.Verify, $"Installed version {manifest.Version} does not verify: {detail}.");
}
