using System.Runtime.Versioning;
using SecureUpdate.Errors;

namespace SecureUpdate.Tests.Fallback;

/// <summary>Re-verifying an installed release that was accepted by the hash allowlist.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class HashAllowlistVerifyTests : IDisposable
{
    private readonly FallbackWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Verify_AllowlistMode_VerifiesTheAllowlistedVersionAndRecordsTheWaiver()
    {
        await InstallSignedThenAllowlistedAsync();
        var eventsBefore = _world.Events().Count;

        var result = await _world.CreateAllowlistClient().VerifyAsync(_world.Folder, _world.Workspace.Trust);

        result.Version.Should().Be("1.1.0");
        result.FilesVerified.Should().Be(1);
        _world.Current.Should().Be("versions/1.1.0");
        var added = _world.Events().Skip(eventsBefore).ToList();
        added.Should().ContainSingle();
        added[0].Name.Should().Be("allowlisted");
        added[0].Stage.Should().Be("verify");
        added[0].FallbackMode.Should().Be("hash_allowlist");
        added[0].ErrorName.Should().Be("signature");
        added[0].Version.Should().Be("1.1.0");
    }

    [Fact]
    public async Task VerifyOnStartup_AllowlistMode_ReturnsVerified()
    {
        await InstallSignedThenAllowlistedAsync();

        var result = await _world.CreateAllowlistClient().VerifyOnStartupAsync(_world.Folder, _world.Workspace.Trust);

        result.Outcome.Should().Be(StartupVerificationOutcome.Verified);
        result.Version.Should().Be("1.1.0");
    }

    [Fact]
    public async Task Verify_HardResetMode_DoesNotVerifyAndSwitchesBackToTheSignedVersion()
    {
        await InstallSignedThenAllowlistedAsync();

        var verify = () => _world.DefaultClient.VerifyAsync(_world.Folder, _world.Workspace.Trust);

        var failure = (await verify.Should().ThrowAsync<VerificationException>()).Which;
        failure.Code.Should().Be(ErrorCode.Signature);
        failure.Message.Should().Contain("Switched back to 1.0.0");
        _world.Current.Should().Be("versions/1.0.0");
        var events = _world.Events();
        events.Select(e => e.Name).Should().EndWith(["verify-failed", "reset"]);
        events[^1].Version.Should().Be("1.0.0");
        events[^1].FallbackMode.Should().Be("hard_reset");
    }

    [Fact]
    public async Task Verify_AllowlistMode_TamperedPayloadOfTheAllowlistedVersion_IsCaughtAndReset()
    {
        await InstallSignedThenAllowlistedAsync();
        File.AppendAllText(_world.Workspace.Installed("1.1.0", FallbackWorld.AppFile), "implant");

        var verify = () => _world.CreateAllowlistClient().VerifyAsync(_world.Folder, _world.Workspace.Trust);

        (await verify.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.HashMismatch);
        _world.Current.Should().Be("versions/1.0.0");
        var failed = _world.Events().Single(e => e.Name == "verify-failed");
        failed.ErrorName.Should().Be("hash_mismatch");
        failed.Version.Should().Be("1.1.0");
    }

    [Fact]
    public async Task Verify_AllowlistMode_InstalledManifestEdited_IsNotWaived()
    {
        await InstallSignedThenAllowlistedAsync();
        var manifest = Path.Combine(_world.StateFolder, "manifests", "1.1.0.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"expires\"", " \"expires\"", StringComparison.Ordinal));

        var verify = () => _world.CreateAllowlistClient().VerifyAsync(_world.Folder, _world.Workspace.Trust);

        var failure = (await verify.Should().ThrowAsync<VerificationException>()).Which;
        failure.Code.Should().Be(ErrorCode.Signature);
        failure.Message.Should().Contain("not in the allowlist");
        _world.Current.Should().Be("versions/1.0.0");
    }

    [Fact]
    public async Task Verify_AllowlistMode_EntryExpiredSinceInstall_SwitchesBack()
    {
        await InstallSignedThenAllowlistedAsync(validFor: TimeSpan.FromDays(1));
        _world.Time.Advance(TimeSpan.FromDays(2));

        var verify = () => _world.CreateAllowlistClient().VerifyAsync(_world.Folder, _world.Workspace.Trust);

        var failure = (await verify.Should().ThrowAsync<VerificationException>()).Which;
        failure.Code.Should().Be(ErrorCode.Signature);
        failure.Message.Should().Contain("expired");
        _world.Current.Should().Be("versions/1.0.0");
    }

    [Fact]
    public async Task Verify_AllowlistMode_InstalledWithoutSignatures_Verifies()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        var release = await _world.PublishAsync("1.1.0", "two");
        File.Delete(_world.FeedFile("demo/stable/channel.json.sig"));
        File.Delete(_world.FeedFile("demo/stable/manifests/1.1.0.json.sig"));
        _world.AllowManifest(release.ManifestSha256);
        await _world.ApplyAsync(_world.CreateAllowlistClient());

        var result = await _world.CreateAllowlistClient().VerifyAsync(_world.Folder, _world.Workspace.Trust);

        result.Version.Should().Be("1.1.0");
        _world.Current.Should().Be("versions/1.1.0");
    }

    [Fact]
    public async Task Rollback_ToAnAllowlistedVersion_NeedsAllowlistMode()
    {
        var rogue = await _world.PublishAsync("1.0.0", "one", rogue: true);
        _world.AllowManifest(rogue.ManifestSha256);
        await _world.ApplyAsync(_world.CreateAllowlistClient());
        await _world.PublishAsync("1.1.0", "two");
        await _world.ApplyAsync(_world.DefaultClient);

        var hardReset = () => _world.DefaultClient.RollbackAsync(_world.Folder, _world.Workspace.Trust);

        await hardReset.Should().ThrowAsync<NotInstalledException>();
        _world.Current.Should().Be("versions/1.1.0");

        var result = await _world.CreateAllowlistClient().RollbackAsync(_world.Folder, _world.Workspace.Trust);

        result.Version.Should().Be("1.0.0");
        _world.Current.Should().Be("versions/1.0.0");
        _world.Events().TakeLast(2).Select(e => e.Name).Should().Equal("allowlisted", "rolled-back");
    }

    private async Task InstallSignedThenAllowlistedAsync(TimeSpan? validFor = null)
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        var rogue = await _world.PublishAsync("1.1.0", "two", rogue: true);
        _world.AllowManifest(rogue.ManifestSha256, validFor);
        await _world.ApplyAsync(_world.CreateAllowlistClient());
        _world.Current.Should().Be("versions/1.1.0");
    }
}
