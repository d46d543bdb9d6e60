using System.Runtime.Versioning;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Fallback;

/// <summary>
/// The debug-shell fallback on verification failure: it holds (nothing switched) only when
/// <c>SECURE_UPDATE_DEBUG=1</c> and the target's own owner-only <c>debug-allowed</c> file enable it;
/// otherwise it acts as hard-reset and the audit event says why.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DebugShellFallbackTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly FallbackWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Verify_Permitted_ThrowsWithoutSwitchingAndRecordsDebugShell()
    {
        await InstallTwoAndTamperCurrentAsync();
        EnableSwitchFile(OwnerOnly);
        var client = DebugClient("1");
        var before = TargetSnapshot.Capture(_world.Target);

        var verify = () => client.VerifyAsync(_world.Folder, _world.Workspace.Trust);

        var failure = (await verify.Should().ThrowAsync<VerificationException>()).Which;
        failure.Code.Should().Be(ErrorCode.HashMismatch);
        failure.Message.Should().Contain("nothing was switched");
        _world.Current.Should().Be("versions/1.1.0");
        before.ShouldBeUnchanged("debug-shell keeps the failing version for inspection");
        var events = _world.Events();
        events[^1].Name.Should().Be("verify-failed");
        events[^1].FallbackMode.Should().Be("debug_shell");
        events[^1].ErrorName.Should().Be("hash_mismatch");
        events[^1].Version.Should().Be("1.1.0");
        events.Should().NotContain(e => e.Name == "reset");
    }

    [Fact]
    public async Task IsDebugShellPermitted_EnvOneAndOwnerOnlyFile_IsTrue()
    {
        await InstallTwoAndTamperCurrentAsync();
        EnableSwitchFile(OwnerOnly);

        var availability = DebugClient("1").CheckDebugShell(_world.Folder);
        availability.IsPermitted.Should().BeTrue();
        availability.Reason.Should().BeNull();
    }

    [Fact]
    public async Task IsDebugShellPermitted_ReadOnlyRootFile0644_IsTrue()
    {
        await InstallTwoAndTamperCurrentAsync();
        EnableSwitchFile((UnixFileMode)0b110_100_100);

        DebugClient("1").CheckDebugShell(_world.Folder).IsPermitted.Should().BeTrue();
    }

    [Fact]
    public async Task VerifyOnStartup_Permitted_ReturnsDebugShellAndKeepsCurrent()
    {
        await InstallTwoAndTamperCurrentAsync();
        EnableSwitchFile(OwnerOnly);

        var result = await DebugClient("1").VerifyOnStartupAsync(_world.Folder, _world.Workspace.Trust);

        result.Outcome.Should().Be(StartupVerificationOutcome.DebugShell);
        result.Version.Should().Be("1.1.0");
        _world.Current.Should().Be("versions/1.1.0");
    }

    [Fact]
    public async Task Verify_Permitted_IntactInstall_Verifies()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        EnableSwitchFile(OwnerOnly);

        var result = await DebugClient("1").VerifyAsync(_world.Folder, _world.Workspace.Trust);

        result.Version.Should().Be("1.0.0");
        _world.Events().Should().NotContain(e => e.Name == "verify-failed");
    }

    [Theory]
    [InlineData("env-unset", "SECURE_UPDATE_DEBUG is not 1")]
    [InlineData("env-true", "SECURE_UPDATE_DEBUG is not 1")]
    [InlineData("env-1-with-space", "SECURE_UPDATE_DEBUG is not 1")]
    [InlineData("file-missing", "does not exist")]
    [InlineData("file-0666", "writable by group or others")]
    [InlineData("file-0620", "writable by group or others")]
    [InlineData("file-0602", "writable by group or others")]
    [InlineData("file-other-owner", "owned by another user")]
    [InlineData("file-is-directory", "debug-allowed")]
    public async Task Verify_NotPermitted_HardResetsAndTheEventSaysWhy(string situation, string why)
    {
        await InstallTwoAndTamperCurrentAsync();
        var client = Arrange(situation);

        var verify = () => client.VerifyAsync(_world.Folder, _world.Workspace.Trust);

        var failure = (await verify.Should().ThrowAsync<VerificationException>()).Which;
        failure.Code.Should().Be(ErrorCode.HashMismatch);
        failure.Message.Should().Contain("Switched back to 1.0.0");
        _world.Current.Should().Be("versions/1.0.0");
        var events = _world.Events();
        var failed = events.Single(e => e.Name == "verify-failed");
        failed.FallbackMode.Should().Be("hard_reset");
        failed.Detail.Should().Contain("Debug-shell was asked for and is not permitted").And.Contain(why);
        events[^1].Name.Should().Be("reset");
        events[^1].Version.Should().Be("1.0.0");
        events[^1].FallbackMode.Should().Be("hard_reset");
    }

    [Theory]
    [InlineData("env-unset", "SECURE_UPDATE_DEBUG is not 1")]
    [InlineData("env-true", "SECURE_UPDATE_DEBUG is not 1")]
    [InlineData("file-missing", "does not exist")]
    [InlineData("file-0666", "writable by group or others")]
    [InlineData("file-0620", "writable by group or others")]
    [InlineData("file-other-owner", "owned by another user")]
    [InlineData("file-is-directory", "debug-allowed")]
    public async Task IsDebugShellPermitted_NotPermitted_IsFalseWithTheReason(string situation, string why)
    {
        await InstallTwoAndTamperCurrentAsync();
        var client = Arrange(situation);

        var availability = client.CheckDebugShell(_world.Folder);
        availability.IsPermitted.Should().BeFalse();
        availability.Reason.Should().Contain(why);
    }

    [Theory]
    [InlineData("env-unset")]
    [InlineData("file-0666")]
    [InlineData("file-other-owner")]
    public async Task VerifyOnStartup_NotPermitted_ReturnsReset(string situation)
    {
        await InstallTwoAndTamperCurrentAsync();
        var client = Arrange(situation);

        var result = await client.VerifyOnStartupAsync(_world.Folder, _world.Workspace.Trust);

        result.Outcome.Should().Be(StartupVerificationOutcome.Reset);
        result.Version.Should().Be("1.0.0");
        _world.Current.Should().Be("versions/1.0.0");
    }

    [Fact]
    public async Task IsDebugShellPermitted_DebugAllowedIsADirectory_SaysItIsNotARegularFile()
    {
        await InstallTwoAndTamperCurrentAsync();
        var client = Arrange("file-is-directory");

        var availability = client.CheckDebugShell(_world.Folder);
        availability.IsPermitted.Should().BeFalse();

        // The gate says what it found instead of a regular file; an "access denied" reason sends a root operator hunting for a permission problem.
        availability.Reason.Should().Contain("is a folder, not a regular file");
    }

    [Fact]
    public async Task VerifyOnStartup_DebugShellEnabledWhileResetting_ReportsTheResetThatHappened()
    {
        await InstallTwoAndTamperCurrentAsync();
        EnableSwitchFile(OwnerOnly);
        var client = _world.CreateClient(FallbackMode.DebugShell);
        var lookups = 0;

        // Not permitted when the failure is handled (so the target is reset); permitted from then on,
        // as when an operator sets debug-shell up while the older version is being re-verified.
        client.EnvironmentLookup = name => string.Equals(name, DebugSwitch.EnvironmentVariable, StringComparison.Ordinal) && ++lookups > 1 ? "1" : null;

        var result = await client.VerifyOnStartupAsync(_world.Folder, _world.Workspace.Trust);

        _world.Current.Should().Be("versions/1.0.0", "the hard reset did switch");
        _world.Events()[^1].Name.Should().Be("reset");
        result.Version.Should().Be("1.0.0");
        result.Outcome.Should().Be(StartupVerificationOutcome.Reset, "the outcome must say what was done: the target was reset, so the app must restart into 1.0.0");
    }

    [Fact]
    public async Task Apply_TamperedUpdate_Permitted_RefusesKeepsCurrentAndRecordsDebugShell()
    {
        await InstallOneAndPublishTamperedAsync();
        EnableSwitchFile(OwnerOnly);
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(DebugClient("1"));

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.HashMismatch);
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
        var refused = _world.Events()[^1];
        refused.Name.Should().Be("refused");
        refused.FallbackMode.Should().Be("debug_shell");
        refused.Detail.Should().Contain("Debug-shell is permitted here");
    }

    [Fact]
    public async Task Apply_TamperedUpdate_NotPermitted_RecordsHardResetAndWhy()
    {
        await InstallOneAndPublishTamperedAsync();
        EnableSwitchFile((UnixFileMode)0b110_110_110);
        var before = TargetSnapshot.Capture(_world.Target);

        var apply = () => _world.ApplyAsync(DebugClient("1"));

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.HashMismatch);
        before.ShouldBeUnchanged();
        _world.Current.Should().Be("versions/1.0.0");
        var refused = _world.Events()[^1];
        refused.Name.Should().Be("refused");
        refused.FallbackMode.Should().Be("hard_reset");
        refused.Detail.Should().Contain("Debug-shell was asked for and is not permitted").And.Contain("writable by group or others");
    }

    [Fact]
    public async Task Verify_DebugAllowedShippedInTheReleaseAndFeed_HasNoEffect()
    {
        _world.Workspace.WriteInput(".secure-update/debug-allowed", "yes");
        _world.Workspace.WriteInput("debug-allowed", "yes");
        await InstallTwoAndTamperCurrentAsync();
        Directory.CreateDirectory(_world.FeedFile(".secure-update"));
        File.WriteAllText(_world.FeedFile(".secure-update/debug-allowed"), "yes");
        File.SetUnixFileMode(_world.FeedFile(".secure-update/debug-allowed"), OwnerOnly);
        File.Exists(Path.Combine(_world.Target, "current", ".secure-update", "debug-allowed")).Should().BeTrue("the release did ship it");
        File.Exists(_world.DebugAllowed).Should().BeFalse();
        var client = DebugClient("1");

        var availability = client.CheckDebugShell(_world.Folder);
        availability.IsPermitted.Should().BeFalse();
        availability.Reason.Should().Contain("does not exist");
        var verify = () => client.VerifyAsync(_world.Folder, _world.Workspace.Trust);

        await verify.Should().ThrowAsync<VerificationException>();
        _world.Current.Should().Be("versions/1.0.0");
        _world.Events().Single(e => e.Name == "verify-failed").Detail.Should().Contain("is not permitted");
    }

    [Fact]
    public async Task Verify_HardResetMode_IgnoresAPermittedDebugShell()
    {
        await InstallTwoAndTamperCurrentAsync();
        EnableSwitchFile(OwnerOnly);
        var client = _world.CreateClient(FallbackMode.HardReset);
        client.EnvironmentLookup = DebugVariable("1");

        var verify = () => client.VerifyAsync(_world.Folder, _world.Workspace.Trust);

        await verify.Should().ThrowAsync<VerificationException>();
        _world.Current.Should().Be("versions/1.0.0");
        var failed = _world.Events().Single(e => e.Name == "verify-failed");
        failed.FallbackMode.Should().Be("hard_reset");
        failed.Detail.Should().NotContain("Debug-shell");
    }

    [Fact]
    public void IsDebugShellPermitted_SingleFileTarget_UsesTheFilesOwnStateFolder()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("tool");
        var client = DebugClient("1");
        Directory.CreateDirectory(folder.Combine(".secure-update"));
        File.WriteAllText(folder.Combine(".secure-update", "debug-allowed"), "");
        File.SetUnixFileMode(folder.Combine(".secure-update", "debug-allowed"), OwnerOnly);

        var availability = client.CheckDebugShell(SecureUpdate.Target.File(file));
        availability.IsPermitted.Should().BeFalse("a folder target's switch does not count for a single-file target");
        availability.Reason.Should().Contain("does not exist");

        Directory.CreateDirectory(folder.Combine(".tool.secure-update"));
        File.WriteAllText(folder.Combine(".tool.secure-update", "debug-allowed"), "");
        File.SetUnixFileMode(folder.Combine(".tool.secure-update", "debug-allowed"), OwnerOnly);

        client.CheckDebugShell(SecureUpdate.Target.File(file)).IsPermitted.Should().BeTrue();
    }

    private UpdateClient Arrange(string situation)
    {
        switch (situation)
        {
            case "env-unset":
                EnableSwitchFile(OwnerOnly);
                return DebugClient(null);
            case "env-true":
                EnableSwitchFile(OwnerOnly);
                return DebugClient("true");
            case "env-1-with-space":
                EnableSwitchFile(OwnerOnly);
                return DebugClient("1 ");
            case "file-missing":
                return DebugClient("1");
            case "file-0666":
                EnableSwitchFile((UnixFileMode)0b110_110_110);
                return DebugClient("1");
            case "file-0620":
                EnableSwitchFile((UnixFileMode)0b110_010_000);
                return DebugClient("1");
            case "file-0602":
                EnableSwitchFile((UnixFileMode)0b110_000_010);
                return DebugClient("1");
            case "file-other-owner":
                EnableSwitchFile(OwnerOnly);
                UnixFiles.ChangeOwner(_world.DebugAllowed);
                return DebugClient("1");
            case "file-is-directory":
                Directory.CreateDirectory(_world.DebugAllowed, OwnerOnly | UnixFileMode.UserExecute);
                return DebugClient("1");
            default:
                throw new ArgumentOutOfRangeException(nameof(situation), situation, "unknown situation");
        }
    }

    private UpdateClient DebugClient(string? debugVariable)
    {
        var client = _world.CreateClient(FallbackMode.DebugShell);
        client.EnvironmentLookup = DebugVariable(debugVariable);
        return client;
    }

    private static Func<string, string?> DebugVariable(string? debugVariable) =>
        name => string.Equals(name, DebugSwitch.EnvironmentVariable, StringComparison.Ordinal) ? debugVariable : null;

    private void EnableSwitchFile(UnixFileMode mode) => DebugSwitch.Allow(_world.Target, mode);

    private async Task InstallOneAndPublishTamperedAsync()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        await _world.PublishAsync("1.1.0", "two");
        File.WriteAllText(_world.FeedBlob("two"), "tw0");
    }

    private async Task InstallTwoAndTamperCurrentAsync()
    {
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(_world.DefaultClient);
        await _world.PublishAsync("1.1.0", "two");
        await _world.ApplyAsync(_world.DefaultClient);
        File.AppendAllText(_world.Workspace.Installed("1.1.0", FallbackWorld.AppFile), "implant");
    }
}
