using System.Runtime.Versioning;
using System.Security.Cryptography;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Fallback;

/// <summary>
/// Applying a release whose signatures fail in hash-allowlist mode: accepted only when its manifest
/// digest is listed and not expired, with every other check still in force.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class HashAllowlistApplyTests : IDisposable
{
    private readonly FallbackWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Apply_UntrustedRelease_HardResetMode_IsRefusedAndTargetUnchanged()
    {
        var rogue = await InstallSignedThenPublishRogueAsync();
        _world.AllowManifest(rogue.ManifestSha256);
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(_world.CreateClient(FallbackMode.HardReset, _world.AllowlistPath));

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.Signature);
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
        _world.Events().Should().NotContain(e => e.Name == "allowlisted");
    }

    [Fact]
    public async Task Apply_UntrustedReleaseListed_IsInstalledAndEachWaiverRecorded()
    {
        var rogue = await InstallSignedThenPublishRogueAsync();
        _world.AllowManifest(rogue.ManifestSha256, note: "emergency fix");

        var result = await _world.ApplyAsync(_world.CreateAllowlistClient());

        result.Outcome.Should().Be(ApplyOutcome.Updated);
        result.Version.Should().Be("1.1.0");
        _world.Current.Should().Be("versions/1.1.0");
        File.ReadAllText(_world.Workspace.Installed("1.1.0", FallbackWorld.AppFile)).Should().Be("two");
        var events = _world.Events();
        var waivers = events.Where(e => e.Name == "allowlisted").ToList();
        waivers.Select(e => e.Stage).Should().Equal("channel", "manifest");
        waivers.Should().OnlyContain(e => e.FallbackMode == "hash_allowlist" && e.ErrorName == "signature" && e.Version == "1.1.0");
        waivers.Should().OnlyContain(e => e.Detail.Contains(rogue.ManifestSha256, StringComparison.Ordinal) && e.Detail.Contains("emergency fix", StringComparison.Ordinal));
        events[^1].Name.Should().Be("installed");
        events[^1].Version.Should().Be("1.1.0");
    }

    [Fact]
    public async Task Apply_UntrustedFirstInstallListed_IsInstalled()
    {
        var rogue = await _world.PublishAsync("1.0.0", "one", rogue: true);
        _world.AllowManifest(rogue.ManifestSha256);

        var result = await _world.ApplyAsync(_world.CreateAllowlistClient());

        result.Outcome.Should().Be(ApplyOutcome.Installed);
        _world.Current.Should().Be("versions/1.0.0");
        _world.Events().Select(e => e.Name).Should().Equal("allowlisted", "allowlisted", "installed");
    }

    [Fact]
    public async Task Apply_SignedRelease_AllowlistMode_InstallsWithoutWaivers()
    {
        await _world.PublishAsync("1.0.0", "one");
        _world.AllowManifest(Convert.ToHexStringLower(SHA256.HashData("unrelated"u8)));

        await _world.ApplyAsync(_world.CreateAllowlistClient());

        _world.Current.Should().Be("versions/1.0.0");
        _world.Events().Should().NotContain(e => e.Name == "allowlisted");
    }

    [Fact]
    public async Task Apply_UntrustedReleaseNotListed_IsRefusedAndTargetUnchanged()
    {
        await InstallSignedThenPublishRogueAsync();
        var unrelated = Convert.ToHexStringLower(SHA256.HashData("unrelated"u8));
        _world.AllowManifest(unrelated);
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient());

        var failure = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        failure.Code.Should().Be(ErrorCode.Signature);
        failure.Message.Should().Contain("not in the allowlist");
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
        var events = _world.Events();
        events.Should().NotContain(e => e.Name == "allowlisted");
        events[^1].Name.Should().Be("refused");
        events[^1].ErrorName.Should().Be("signature");
    }

    [Fact]
    public async Task Apply_ListedEntryExpired_IsRefusedAndTargetUnchanged()
    {
        var rogue = await InstallSignedThenPublishRogueAsync();
        _world.AllowManifest(rogue.ManifestSha256, validFor: TimeSpan.FromDays(1));
        _world.Time.Advance(TimeSpan.FromDays(2)); // The release itself is valid for 30 days.
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient());

        var failure = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        failure.Code.Should().Be(ErrorCode.Signature);
        failure.Message.Should().Contain("expired");
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
        _world.Events().Should().NotContain(e => e.Name == "allowlisted");
    }

    [Fact]
    public async Task Apply_ListedReleaseWithTamperedPayload_IsRefusedAsHashMismatch()
    {
        var rogue = await InstallSignedThenPublishRogueAsync();
        _world.AllowManifest(rogue.ManifestSha256);
        File.WriteAllText(_world.FeedBlob("two"), "tw0");
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient());

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.HashMismatch);
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
        var events = _world.Events();
        events[^1].Name.Should().Be("refused");
        events[^1].ErrorName.Should().Be("hash_mismatch");
    }

    [Fact]
    public async Task Apply_ListedReleaseBelowTheVersionFloor_IsRefusedAsDowngrade()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        var oldFeed = Path.Combine(_world.Workspace.Root, "old-feed");
        var old = await _world.PublishAsync("0.9.0", "zero", rogue: true, feed: oldFeed);
        _world.AllowManifest(old.ManifestSha256);
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient(), feed: oldFeed);

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.Downgrade);
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
        Directory.Exists(_world.Workspace.Installed("0.9.0", "")).Should().BeFalse();
    }

    [Fact]
    public async Task Apply_ListedReleaseForAnotherApp_IsRefusedAsWrongApp()
    {
        var other = await _world.Workspace.Publisher.PublishAsync(new ReleaseRequest
        {
            Feed = _world.Workspace.Feed,
            App = "other",
            Channel = "stable",
            Version = "1.0.0",
            Input = _world.Workspace.Input,
            KeyFiles = [_world.RogueKeyFile],
            ExpiresIn = TimeSpan.FromDays(30),
        });
        _world.AllowManifest(other.ManifestSha256);
        // Serve the other app's release under this app's channel.
        var channel = Path.Combine(_world.Workspace.Feed, "demo", "stable");
        Directory.CreateDirectory(Path.Combine(channel, "manifests"));
        File.Copy(_world.FeedFile("other/stable/channel.json"), Path.Combine(channel, "channel.json"));
        File.Copy(_world.FeedFile("other/stable/manifests/1.0.0.json"), Path.Combine(channel, "manifests", "1.0.0.json"));

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient());

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.WrongApp);
        Directory.Exists(_world.Target).Should().BeFalse("a refused first install leaves nothing behind");
    }

    [Fact]
    public async Task Apply_SignatureFilesDeletedFromFeedAndListed_IsInstalled()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        var release = await _world.PublishAsync("1.1.0", "two");
        File.Delete(_world.FeedFile("demo/stable/channel.json.sig"));
        File.Delete(_world.FeedFile("demo/stable/manifests/1.1.0.json.sig"));
        _world.AllowManifest(release.ManifestSha256);

        var result = await _world.ApplyAsync(_world.CreateAllowlistClient());

        result.Version.Should().Be("1.1.0");
        _world.Current.Should().Be("versions/1.1.0");
        var waivers = _world.Events().Where(e => e.Name == "allowlisted").ToList();
        waivers.Select(e => e.Stage).Should().Equal("channel", "manifest");
        waivers.Should().OnlyContain(e => e.FallbackMode == "hash_allowlist" && e.ErrorName == "signature");
    }

    [Fact]
    public async Task Apply_SignatureFilesDeletedFromFeed_HardResetMode_IsRefused()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        await _world.PublishAsync("1.1.0", "two");
        File.Delete(_world.FeedFile("demo/stable/channel.json.sig"));
        File.Delete(_world.FeedFile("demo/stable/manifests/1.1.0.json.sig"));

        var apply = () => _world.ApplyAsync(_world.DefaultClient);

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.Signature);
        _world.Current.Should().Be("versions/1.0.0");
    }

    [Fact]
    public async Task Apply_OnlyManifestSignatureDeletedAndListed_WaivesOnlyTheManifest()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        var release = await _world.PublishAsync("1.1.0", "two");
        File.Delete(_world.FeedFile("demo/stable/manifests/1.1.0.json.sig"));
        _world.AllowManifest(release.ManifestSha256);

        await _world.ApplyAsync(_world.CreateAllowlistClient());

        _world.Current.Should().Be("versions/1.1.0");
        _world.Events().Where(e => e.Name == "allowlisted").Select(e => e.Stage).Should().Equal("manifest");
    }

    [Fact]
    public async Task Apply_GroupWritableAllowlist_FailsBeforeFetchingAndCreatesNoTarget()
    {
        var rogue = await _world.PublishAsync("1.0.0", "one", rogue: true);
        _world.AllowManifest(rogue.ManifestSha256);
        File.SetUnixFileMode(_world.AllowlistPath, (UnixFileMode)0b110_110_000);
        await using var server = await FeedServer.StartAsync(_world.Workspace.Feed);

        var apply = () => _world.CreateAllowlistClient().ApplyAsync(new ApplyRequest { Feed = server.Url, Trust = _world.Workspace.Trust, Target = _world.Folder, App = "demo" });

        var failure = (await apply.Should().ThrowAsync<ConfigurationException>()).Which;
        failure.Code.Should().Be(ErrorCode.Config);
        failure.Message.Should().Contain("writable by group or others");
        server.RequestLog.Should().BeEmpty("a bad allowlist is found before anything is fetched");
        Directory.Exists(_world.Target).Should().BeFalse();
    }

    [Fact]
    public async Task Apply_GroupWritableAllowlist_ExistingTargetUnchanged()
    {
        var rogue = await InstallSignedThenPublishRogueAsync();
        _world.AllowManifest(rogue.ManifestSha256);
        File.SetUnixFileMode(_world.AllowlistPath, (UnixFileMode)0b110_110_000);
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient());

        (await apply.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Config);
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
    }

    [Fact]
    public async Task Apply_AllowlistOwnedByAnotherUser_IsRefused()
    {
        var rogue = await _world.PublishAsync("1.0.0", "one", rogue: true);
        _world.AllowManifest(rogue.ManifestSha256);
        UnixFiles.ChangeOwner(_world.AllowlistPath);

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient());

        (await apply.Should().ThrowAsync<ConfigurationException>()).Which.Message.Should().Contain("owned by another user");
        Directory.Exists(_world.Target).Should().BeFalse();
    }

    [Fact]
    public async Task Apply_HashAllowlistWithoutAllowlistPath_IsAUsageError()
    {
        await _world.PublishAsync("1.0.0", "one", rogue: true);

        var apply = () => _world.ApplyAsync(_world.CreateClient(FallbackMode.HashAllowlist, allowlistPath: null));

        (await apply.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Usage);
        Directory.Exists(_world.Target).Should().BeFalse();
    }

    [Fact]
    public async Task Apply_AllowlistMissing_IsAConfigurationError()
    {
        await _world.PublishAsync("1.0.0", "one", rogue: true);

        var apply = () => _world.ApplyAsync(_world.CreateAllowlistClient());

        (await apply.Should().ThrowAsync<ConfigurationException>()).Which.Message.Should().Contain("does not exist");
        Directory.Exists(_world.Target).Should().BeFalse();
    }

    private async Task<ReleaseResult> InstallSignedThenPublishRogueAsync()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        return await _world.PublishAsync("1.1.0", "two", rogue: true);
    }
}
