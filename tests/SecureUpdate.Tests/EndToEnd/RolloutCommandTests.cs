using System.Security.Cryptography;
using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>secure-update release --rollout N</c> and <c>secure-update rollout</c>, run as processes: the
/// percentage is printed and signed into the channel pointer, a re-signed pointer keeps the version
/// and manifest and verifies with the trust, and bad percentages, missing releases or bad keys exit 2
/// leaving the feed as it was.
/// </summary>
public sealed class RolloutCommandTests
{
    private static readonly string s_channelPath = FeedForger.ChannelPath(ReleaseInputs.App, ReleaseInputs.Channel);

    [Fact]
    public async Task Release_WithRollout_PrintsItAndSignsItIntoThePointer()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");

        var result = (await ReleaseAsync(template, feed, ReleaseInputs.V1, "--rollout", "30", "--json")).ShouldExitWith(0).ShouldHaveNoStackTrace();

        var json = result.Json();
        json.GetProperty("command").GetString().Should().Be("release");
        json.GetProperty("version").GetString().Should().Be(ReleaseInputs.V1);
        json.GetProperty("rollout").GetInt32().Should().Be(30, "the JSON output reports the rollout\n{0}", result.Describe());
        var (pointer, bytes) = ReadPointer(feed);
        pointer.GetProperty("rollout").GetInt32().Should().Be(30, "the rollout is part of the signed pointer");
        SignatureVerifies(feed, bytes, template).Should().BeTrue();
    }

    [Fact]
    public async Task Release_WithoutRollout_ReportsHundredAndLeavesTheFieldOut()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");

        var result = (await ReleaseAsync(template, feed, ReleaseInputs.V1, "--json")).ShouldExitWith(0);

        result.Json().GetProperty("rollout").GetInt32().Should().Be(100);
        ReadPointer(feed).Pointer.TryGetProperty("rollout", out _).Should().BeFalse("a release to every host writes the pointer as before rollout existed");
    }

    [Fact]
    public async Task Rollout_RaisedToSixty_ReSignsTheSameVersionAndManifest()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        (await ReleaseAsync(template, feed, ReleaseInputs.V1, "--rollout", "30")).ShouldExitWith(0);
        var (before, _) = ReadPointer(feed);

        var result = (await RolloutAsync(feed, template.KeyFile, "--percent", "60", "--json")).ShouldExitWith(0).ShouldHaveNoStackTrace();

        var json = result.Json();
        json.GetProperty("command").GetString().Should().Be("rollout");
        json.GetProperty("outcome").GetString().Should().Be("rolled-out");
        json.GetProperty("app").GetString().Should().Be(ReleaseInputs.App);
        json.GetProperty("channel").GetString().Should().Be(ReleaseInputs.Channel);
        json.GetProperty("version").GetString().Should().Be(ReleaseInputs.V1, "a rollout change keeps the version");
        json.GetProperty("rollout").GetInt32().Should().Be(60);
        json.TryGetProperty("expires", out _).Should().BeTrue();

        var (after, bytes) = ReadPointer(feed);
        after.GetProperty("rollout").GetInt32().Should().Be(60, "the pointer file carries the new percentage");
        after.GetProperty("version").GetString().Should().Be(ReleaseInputs.V1);
        after.GetProperty("manifestSha256").GetString().Should().Be(before.GetProperty("manifestSha256").GetString(), "the same manifest stays bound");
        after.GetProperty("manifestSize").GetInt64().Should().Be(before.GetProperty("manifestSize").GetInt64());
        after.GetProperty("app").GetString().Should().Be(ReleaseInputs.App);
        after.GetProperty("channel").GetString().Should().Be(ReleaseInputs.Channel);
        SignatureVerifies(feed, bytes, template).Should().BeTrue("the re-signed pointer verifies with the trusted key");

        using var target = new TempFolder();
        (await CliRunner.RunAsync("apply", "--feed", feed, "--trust", template.TrustFile, "--target", target.Combine("t"), "--app", ReleaseInputs.App))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(target.Combine("t"), ReleaseInputs.V1);
    }

    [Theory]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("1000")]
    [InlineData("ten")]
    public async Task Rollout_PercentNotAPercentage_ExitsUsageErrorAndFeedUnchanged(string percent)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V1), feed);
        var before = TargetSnapshot.Capture(feed);

        var result = await RolloutAsync(feed, template.KeyFile, "--percent", percent);

        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        before.ShouldBeUnchanged("a refused rollout leaves the feed as it was");
    }

    [Fact]
    public async Task Rollout_PercentOver100_ExplainsOnOneLine()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V1), feed);

        var result = await RolloutAsync(feed, template.KeyFile, "--percent", "101", "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.JsonString("outcome").Should().Be("failed");
        result.JsonString("error_code").Should().Be("usage");
    }

    [Fact]
    public async Task Release_RolloutOver100_ExitsUsageErrorAndWritesNoFeed()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");

        var result = await ReleaseAsync(template, feed, ReleaseInputs.V1, "--rollout", "101");

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        File.Exists(Path.Combine(feed, s_channelPath)).Should().BeFalse("a refused release points no channel anywhere");
    }

    [Fact]
    public async Task Rollout_ChannelWithNoRelease_ExitsUsageErrorAndCreatesNothing()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V1), feed);
        var before = TargetSnapshot.Capture(feed);

        var otherChannel = await RolloutAsync(feed, template.KeyFile, "--percent", "50", "--channel", "beta");
        var emptyFeed = await RolloutAsync(temp.CreateFolder("empty"), template.KeyFile, "--percent", "50");

        otherChannel.ShouldExitWith(2).ShouldReportFailureClearly();
        emptyFeed.ShouldExitWith(2).ShouldReportFailureClearly();
        before.ShouldBeUnchanged("nothing is written for a channel that has no release");
        Directory.EnumerateFileSystemEntries(temp.Combine("empty")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("public key file")]
    [InlineData("missing file")]
    [InlineData("not a key")]
    public async Task Rollout_WrongKeyFile_ExitsUsageErrorAndFeedUnchanged(string kind)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V1), feed);
        var before = TargetSnapshot.Capture(feed);
        var key = kind switch
        {
            "public key file" => template.TrustFile,
            "missing file" => temp.Combine("absent.key"),
            _ => temp.Combine("garbage.key"),
        };
        if (kind == "not a key")
        {
            File.WriteAllText(key, "{\"schema\":\"secure-update/private-key/v1\",\"algorithm\":\"ed25519\",\"keyId\":\"00\",\"privateKey\":\"AAAA\"}\n");
        }

        var result = await RolloutAsync(feed, key, "--percent", "50");

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        before.ShouldBeUnchanged("a rollout that cannot sign writes nothing");
    }

    [Fact]
    public async Task Rollout_SignedWithAnUntrustedKey_IsRefusedByApply()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V1), feed);
        using var intruder = ForgedKey.Create();
        intruder.WritePrivateKeyFile(temp.Combine("intruder.key"));

        // The publisher cannot know which keys the targets trust: signing succeeds, the targets refuse.
        (await RolloutAsync(feed, temp.Combine("intruder.key"), "--percent", "100")).ShouldExitWith(0);
        var apply = await CliRunner.RunAsync("apply", "--feed", feed, "--trust", template.TrustFile, "--target", temp.Combine("t"), "--app", ReleaseInputs.App);

        apply.ShouldExitWith(3).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveNoInstall(temp.Combine("t"));
    }

    private static Task<CliResult> ReleaseAsync(ReleaseTemplate template, string feed, string version, params string[] extra) =>
        CliRunner.RunAsync(
            [
                "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version,
                "--input", template.InputFolder(version), "--key", template.KeyFile, .. extra,
            ]);

    private static Task<CliResult> RolloutAsync(string feed, string keyFile, params string[] extra) =>
        CliRunner.RunAsync(["rollout", "--feed", feed, "--app", ReleaseInputs.App, "--key", keyFile, .. extra]);

    private static (JsonElement Pointer, byte[] Bytes) ReadPointer(string feed)
    {
        var bytes = File.ReadAllBytes(Path.Combine(feed, s_channelPath));
        using var document = JsonDocument.Parse(bytes);
        return (document.RootElement.Clone(), bytes);
    }

    /// <summary>The pointer's signature envelope verifies, independently of the library, with the key the template's trust file pins.</summary>
    private static bool SignatureVerifies(string feed, byte[] pointerBytes, ReleaseTemplate template)
    {
        var envelope = File.ReadAllText(Path.Combine(feed, s_channelPath + ".sig"));
        using var trust = JsonDocument.Parse(File.ReadAllBytes(template.TrustFile));
        var publicKey = Convert.FromBase64String(trust.RootElement.GetProperty("publicKey").GetString()!);
        publicKey.Should().Equal(template.ReleaseKey.PublicKey);
        Convert.ToHexStringLower(SHA256.HashData(publicKey)).Should().Be(template.ReleaseKey.KeyId);
        return FeedForger.VerifyEnvelope(FeedForger.ChannelType, pointerBytes, envelope, publicKey);
    }
}
