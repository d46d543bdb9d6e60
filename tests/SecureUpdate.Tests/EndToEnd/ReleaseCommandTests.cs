using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>secure-update release</c>, checked by the independent verifier: the feed it writes follows docs/formats.md
/// byte for byte (layout, manifest, pointer, domain-separated signatures), and releases only move forward.
/// </summary>
public sealed class ReleaseCommandTests
{
    private const UnixFileMode OwnerExecuteOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupExecuteOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    [Fact]
    public async Task Release_TwoKeys_WritesFeedThatAnIndependentVerifierAccepts()
    {
        using var temp = new TempFolder();
        using var first = ForgedKey.Create();
        using var second = ForgedKey.Create();
        first.WritePrivateKeyFile(temp.Combine("first.key"));
        second.WritePrivateKeyFile(temp.Combine("second.key"));
        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        var feed = temp.Combine("feed");

        (await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", input,
            "--key", temp.Combine("first.key"), "--key", temp.Combine("second.key"), "--expires", "2h"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();

        var channelPath = Path.Combine(feed, FeedForger.ChannelPath(ReleaseInputs.App, ReleaseInputs.Channel));
        var manifestPath = Path.Combine(feed, FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V1));
        var channelBytes = File.ReadAllBytes(channelPath);
        var manifestBytes = File.ReadAllBytes(manifestPath);
        var channelSignatures = File.ReadAllText(channelPath + ".sig");
        var manifestSignatures = File.ReadAllText(manifestPath + ".sig");

        foreach (var key in new[] { first, second })
        {
            FeedForger.VerifyEnvelope(FeedForger.ChannelType, channelBytes, channelSignatures, key.PublicKey).Should().BeTrue("the pointer is signed by every --key");
            FeedForger.VerifyEnvelope(FeedForger.ManifestType, manifestBytes, manifestSignatures, key.PublicKey).Should().BeTrue("the manifest is signed by every --key");

            // Domain separation: neither signature verifies as the other document type.
            FeedForger.VerifyEnvelope(FeedForger.ManifestType, channelBytes, channelSignatures, key.PublicKey).Should().BeFalse();
            FeedForger.VerifyEnvelope(FeedForger.ChannelType, manifestBytes, manifestSignatures, key.PublicKey).Should().BeFalse();
        }

        using var channel = JsonDocument.Parse(channelBytes);
        var pointer = channel.RootElement;
        pointer.GetProperty("schema").GetString().Should().Be("secure-update/channel/v1");
        pointer.GetProperty("app").GetString().Should().Be(ReleaseInputs.App);
        pointer.GetProperty("channel").GetString().Should().Be(ReleaseInputs.Channel);
        pointer.GetProperty("version").GetString().Should().Be(ReleaseInputs.V1);
        pointer.GetProperty("manifestSha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)));
        pointer.GetProperty("manifestSize").GetInt64().Should().Be(manifestBytes.LongLength);
        ShouldExpireIn(pointer, TimeSpan.FromHours(2));

        using var manifestDocument = JsonDocument.Parse(manifestBytes);
        var manifest = manifestDocument.RootElement;
        manifest.GetProperty("schema").GetString().Should().Be("secure-update/manifest/v1");
        manifest.GetProperty("app").GetString().Should().Be(ReleaseInputs.App);
        manifest.GetProperty("channel").GetString().Should().Be(ReleaseInputs.Channel);
        manifest.GetProperty("version").GetString().Should().Be(ReleaseInputs.V1);
        ShouldExpireIn(manifest, TimeSpan.FromHours(2));
        var files = manifest.GetProperty("files").EnumerateArray().ToDictionary(file => file.GetProperty("path").GetString()!, StringComparer.Ordinal);
        files.Keys.Should().BeEquivalentTo(ReleaseInputs.Version1.Select(file => file.Path));
        foreach (var file in ReleaseInputs.Version1)
        {
            var entry = files[file.Path];
            entry.GetProperty("size").GetInt64().Should().Be(file.Content.LongLength, file.Path);
            entry.GetProperty("sha256").GetString().Should().Be(file.Sha256, file.Path);
            entry.GetProperty("executable").GetBoolean().Should().Be(file.Executable, file.Path);
            File.ReadAllBytes(Path.Combine(feed, FeedForger.BlobPath(file.Sha256))).Should().Equal(file.Content, "blobs are stored by content digest");
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Release_OwnerExecuteBit_DecidesTheExecutableFlag()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");
        (await CliRunner.RunAsync("keygen", "--out", keys)).ShouldExitWith(0);
        var input = temp.CreateFolder("in");
        File.WriteAllText(Path.Combine(input, "owner-x"), "owner may run this\n");
        File.WriteAllText(Path.Combine(input, "group-x"), "only the group bit is set\n");
        File.SetUnixFileMode(Path.Combine(input, "owner-x"), OwnerExecuteOnly);
        File.SetUnixFileMode(Path.Combine(input, "group-x"), GroupExecuteOnly);
        var feed = temp.Combine("feed");

        (await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", "2.0.0", "--input", input,
            "--key", Path.Combine(keys, "release.key"), "--channel", "beta"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(feed, FeedForger.ManifestPath(ReleaseInputs.App, "beta", "2.0.0"))));
        manifest.RootElement.GetProperty("channel").GetString().Should().Be("beta");
        var executable = manifest.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(file => file.GetProperty("path").GetString()!, file => file.GetProperty("executable").GetBoolean(), StringComparer.Ordinal);
        executable.Should().BeEquivalentTo(new Dictionary<string, bool> { ["owner-x"] = true, ["group-x"] = false });
    }

    [Theory]
    [InlineData(ReleaseInputs.V1)]
    [InlineData("0.9.0")]
    [InlineData("1.0.0-rc.1")]
    public async Task Release_VersionNotNewerThanTheChannel_ExitsUsageErrorAndFeedUnchanged(string version)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V1), feed);
        var before = TargetSnapshot.Capture(feed);

        var result = await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version,
            "--input", template.InputFolder(ReleaseInputs.V2), "--key", template.KeyFile);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        before.ShouldBeUnchanged("a refused release leaves the feed as it was");
    }

    private static void ShouldExpireIn(JsonElement document, TimeSpan lifetime)
    {
        var expires = DateTimeOffset.Parse(document.GetProperty("expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        expires.Should().BeCloseTo(DateTimeOffset.UtcNow + lifetime, TimeSpan.FromMinutes(5), "--expires sets the expiry of both documents");
        document.GetProperty("expires").GetString().Should().EndWith("Z", "times are RFC 3339 UTC");
    }
}
