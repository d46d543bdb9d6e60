using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Publishing;

[UnsupportedOSPlatform("windows")]
public sealed class ReleasePublisherTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();

    public ReleasePublisherTests()
    {
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo\n", executable: true);
        _workspace.WriteInput("README.txt", "readme\n");
    }

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("v1.2.0", "'v1.2.0' is not a SemVer 2.0 version: drop the leading 'v' (1.2.0).")]
    [InlineData("V2.0.0-rc.1", "'V2.0.0-rc.1' is not a SemVer 2.0 version: drop the leading 'V' (2.0.0-rc.1).")]
    [InlineData("1.2", "'1.2' is not a SemVer 2.0 version (for example 1.2.0).")]
    [InlineData("v1.2", "'v1.2' is not a SemVer 2.0 version (for example 1.2.0).")]
    public async Task PublishAsync_VersionThatIsNotSemVer_IsRefusedWithAHintAndPublishesNothing(string version, string message)
    {
        var publish = () => _workspace.PublishAsync(version);

        var refused = (await publish.Should().ThrowAsync<ConfigurationException>()).Which;
        refused.Message.Should().Be(message);
        Directory.Exists(Path.Combine(_workspace.Feed, "demo")).Should().BeFalse("nothing is published for a refused version");
    }

    [Fact]
    public async Task PublishAsync_Folder_WritesSignedManifestPointerAndBlobs()
    {
        ReleaseResult result = await _workspace.PublishAsync("1.0.0");

        result.App.Should().Be("demo");
        result.Channel.Should().Be("stable");
        result.Version.Should().Be("1.0.0");
        result.Files.Should().Be(2);
        result.TotalBytes.Should().Be("#!/bin/sh\necho demo\n".Length + "readme\n".Length);
        result.NewBlobs.Should().Be(2);

        string channel = Path.Combine(_workspace.Feed, "demo", "stable");
        byte[] manifestBytes = File.ReadAllBytes(Path.Combine(channel, "manifests", "1.0.0.json"));
        byte[] pointerBytes = File.ReadAllBytes(Path.Combine(channel, "channel.json"));
        result.ManifestSha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)));

        DocumentVerifier.Verify(_workspace.Trust, DocumentType.Manifest, manifestBytes, File.ReadAllBytes(Path.Combine(channel, "manifests", "1.0.0.json.sig")), UpdateStage.Manifest, "manifest");
        DocumentVerifier.Verify(_workspace.Trust, DocumentType.Channel, pointerBytes, File.ReadAllBytes(Path.Combine(channel, "channel.json.sig")), UpdateStage.Channel, "channel pointer");

        ChannelPointer pointer = DocumentParser.ParseChannelPointer(pointerBytes);
        pointer.Version.ToString().Should().Be("1.0.0");
        pointer.ManifestSize.Should().Be(manifestBytes.Length);
        pointer.ManifestSha256.Should().Equal(SHA256.HashData(manifestBytes));
        pointer.Expires.Should().Be(result.Expires);

        ReleaseManifest manifest = DocumentParser.ParseManifest(manifestBytes, ManifestLimits.Default);
        manifest.Files.Select(f => (f.Path, f.Executable)).Should().Equal(("README.txt", false), ("bin/demo", true));
        foreach (ManifestFile file in manifest.Files)
        {
            byte[] blob = File.ReadAllBytes(Path.Combine(_workspace.Feed, "blobs", "sha256", file.Sha256Hex));
            blob.Should().Equal(File.ReadAllBytes(Path.Combine(_workspace.Input, file.Path)));
            SHA256.HashData(blob).Should().Equal(file.Sha256);
            file.Size.Should().Be(blob.Length);
        }

        Directory.EnumerateFiles(Path.Combine(_workspace.Feed, "blobs", "sha256")).Should().HaveCount(2, "no temporary files are left behind");
    }

    [Fact]
    public async Task PublishAsync_SameContentInTwoFilesAndTwoReleases_StoresEachBlobOnce()
    {
        _workspace.WriteInput("copy/README.txt", "readme\n");
        ReleaseResult first = await _workspace.PublishAsync("1.0.0");
        _workspace.WriteInput("NEW.txt", "new\n");

        ReleaseResult second = await _workspace.PublishAsync("1.1.0");

        first.Files.Should().Be(3);
        first.NewBlobs.Should().Be(2);
        second.Files.Should().Be(4);
        second.NewBlobs.Should().Be(1);
        Directory.EnumerateFiles(Path.Combine(_workspace.Feed, "blobs", "sha256")).Should().HaveCount(3);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("0.9.0")]
    [InlineData("1.0.0+rebuild")]
    [InlineData("1.0.0-rc.1")]
    public async Task PublishAsync_VersionNotNewerThanChannel_ThrowsConfigAndKeepsChannel(string version)
    {
        await _workspace.PublishAsync("1.0.0");
        string pointerPath = Path.Combine(_workspace.Feed, "demo", "stable", "channel.json");
        byte[] pointerBefore = File.ReadAllBytes(pointerPath);
        _workspace.WriteInput("README.txt", "changed\n");

        Func<Task> publish = () => _workspace.PublishAsync(version);

        ConfigurationException ex = (await publish.Should().ThrowAsync<ConfigurationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Stage.Should().Be(UpdateStage.Release);
        File.ReadAllBytes(pointerPath).Should().Equal(pointerBefore);
    }

    [Fact]
    public async Task PublishAsync_OlderVersionIntoOtherChannel_IsAccepted()
    {
        await _workspace.PublishAsync("2.0.0");

        ReleaseResult result = await _workspace.PublishAsync("1.0.0", channel: "lts");

        result.Channel.Should().Be("lts");
    }

    [Fact]
    public async Task PublishAsync_InputWithFileSymlink_ThrowsConfigAndPublishesNothing()
    {
        File.CreateSymbolicLink(Path.Combine(_workspace.Input, "passwd"), "/etc/passwd");

        Func<Task> publish = () => _workspace.PublishAsync("1.0.0");

        ConfigurationException ex = (await publish.Should().ThrowAsync<ConfigurationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Stage.Should().Be(UpdateStage.Release);
        File.Exists(Path.Combine(_workspace.Feed, "demo", "stable", "channel.json")).Should().BeFalse();
    }

    [Fact]
    public async Task PublishAsync_InputWithFolderSymlink_ThrowsConfig()
    {
        string outside = Path.Combine(_workspace.Root, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        Directory.CreateSymbolicLink(Path.Combine(_workspace.Input, "lib"), outside);

        Func<Task> publish = () => _workspace.PublishAsync("1.0.0");

        (await publish.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Config);
        File.Exists(Path.Combine(_workspace.Feed, "demo", "stable", "channel.json")).Should().BeFalse();
    }

    [Fact]
    public async Task PublishAsync_InputNamesCollidingIgnoringCase_ThrowsConfig()
    {
        _workspace.WriteInput("readme.txt", "lower\n");

        Func<Task> publish = () => _workspace.PublishAsync("1.0.0");

        (await publish.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Config);
    }

    [Fact]
    public async Task PublishAsync_MissingInput_ThrowsConfig()
    {
        Directory.Delete(_workspace.Input, recursive: true);

        Func<Task> publish = () => _workspace.PublishAsync("1.0.0");

        (await publish.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Config);
    }

    [Theory]
    [InlineData("Demo", "stable", "1.0.0", 30)]
    [InlineData("demo", "../stable", "1.0.0", 30)]
    [InlineData("demo", "stable", "1.0", 30)]
    [InlineData("demo", "stable", "v1.0.0", 30)]
    [InlineData("demo", "stable", "1.0.0", 0)]
    [InlineData("demo", "stable", "1.0.0", -1)]
    public async Task PublishAsync_InvalidArguments_ThrowsUsage(string app, string channel, string version, int expiresInDays)
    {
        var request = new ReleaseRequest
        {
            Feed = _workspace.Feed,
            App = app,
            Channel = channel,
            Version = version,
            Input = _workspace.Input,
            KeyFiles = [_workspace.KeyFile],
            ExpiresIn = TimeSpan.FromDays(expiresInDays),
        };

        Func<Task> publish = () => _workspace.Publisher.PublishAsync(request);

        ConfigurationException ex = (await publish.Should().ThrowAsync<ConfigurationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Usage);
        ex.Stage.Should().Be(UpdateStage.Release);
        Directory.Exists(_workspace.Feed).Should().BeFalse();
    }

    [Fact]
    public async Task PublishAsync_NoKeys_ThrowsUsage()
    {
        Func<Task> publish = () => _workspace.PublishAsync("1.0.0", keyFiles: []);

        (await publish.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Usage);
    }

    [Fact]
    public async Task PublishAsync_PublicKeyGivenAsSigningKey_ThrowsConfig()
    {
        Func<Task> publish = () => _workspace.PublishAsync("1.0.0", keyFiles: [Path.Combine(_workspace.Keys, "release.pub")]);

        (await publish.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Config);
        Directory.Exists(_workspace.Feed).Should().BeFalse();
    }

    [Fact]
    public async Task PublishAsync_FeedHoldsCorruptBlobOfUnchangedFile_LeavesOnlyCorrectBlobs()
    {
        // A blob is named by its content digest; one whose bytes do not match its name (an interrupted
        // upload, a bad sync) must not be kept as if it were the file, or the release cannot be installed.
        await _workspace.PublishAsync("1.0.0");
        string blobs = Path.Combine(_workspace.Feed, "blobs", "sha256");
        string readmeBlob = Path.Combine(blobs, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("readme\n"))));
        File.WriteAllText(readmeBlob, "read");
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo 2\n", executable: true);

        await _workspace.PublishAsync("1.1.0");

        foreach (string blob in Directory.EnumerateFiles(blobs))
        {
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(blob))).Should().Be(Path.GetFileName(blob));
        }
    }

    [Fact]
    public async Task PublishAsync_FakeClock_WritesWholeSecondTimesFromThatClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 5, 0, 0, 123, TimeSpan.Zero));
        using var workspace = new ReleaseWorkspace(time);
        workspace.WriteInput("a.txt", "a");

        ReleaseResult result = await workspace.PublishAsync("1.0.0", expiresIn: TimeSpan.FromDays(7));

        result.Expires.Should().Be(new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero), "times are whole seconds");
        byte[] manifestBytes = File.ReadAllBytes(Path.Combine(workspace.Feed, "demo", "stable", "manifests", "1.0.0.json"));
        ReleaseManifest manifest = DocumentParser.ParseManifest(manifestBytes, ManifestLimits.Default);
        manifest.Published.Should().Be(new DateTimeOffset(2026, 11, 26, 5, 0, 0, TimeSpan.Zero));
        manifest.Expires.Should().Be(result.Expires);
    }
}
