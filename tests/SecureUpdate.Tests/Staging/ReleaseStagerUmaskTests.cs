using System.IO.Abstractions;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using SecureUpdate.Configuration;
using SecureUpdate.Documents;
using SecureUpdate.Feed;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Staging;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

[Collection(ProcessWideState.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class ReleaseStagerUmaskTests
{
    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task StageAsync_NestedPathUnderGroupWritableUmask_GivesEveryFolderTheInstalledMode()
    {
        // Installed folders are rwxr-xr-x whatever the umask; an intermediate folder ("a" of "a/b/c.txt")
        // must not keep the umask's default (0775 under umask 002, writable by the group).
        using var root = new TempFolder();
        string feed = root.Combine("feed");
        string staging = root.Combine("staging");
        byte[] bytes = "c\n"u8.ToArray();
        var file = new ManifestFile("a/b/c.txt", bytes.Length, SHA256.HashData(bytes), executable: false);
        Directory.CreateDirectory(Path.Combine(feed, "blobs", "sha256"));
        File.WriteAllBytes(Path.Combine(feed, "blobs", "sha256", file.Sha256Hex), bytes);
        var fileSystem = new FileSystem();
        using var source = new LocalFeedSource(fileSystem, feed, TimeProvider.System, TimeSpan.FromSeconds(30));
        var manifest = new ReleaseManifest("demo", "stable", SemanticVersion.Parse("1.0.0"), DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, [file]);

        using (new Umask(0b_000_000_010))
        {
            await new ReleaseStager(fileSystem, new DiskOperations(), source, TimeProvider.System, new SecureUpdateOptions())
                .StageAsync(manifest, staging, new Dictionary<string, string>(), null, CancellationToken.None);
        }

        File.GetUnixFileMode(Path.Combine(staging, "a", "b")).Should().Be(Executable);
        File.GetUnixFileMode(Path.Combine(staging, "a")).Should().Be(Executable);
    }
}
