using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests;

/// <summary>An app verifying its own installation as it starts, and acting on the result.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class StartupVerificationTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task VerifyOnStartupAsync_IntactInstall_ReturnsVerified()
    {
        await InstallTwoReleasesAsync();

        var result = await _workspace.Client.VerifyOnStartupAsync(_workspace.Folder, _workspace.Trust);

        result.Outcome.Should().Be(StartupVerificationOutcome.Verified);
        result.Version.Should().Be("1.1.0");
    }

    [Fact]
    public async Task VerifyOnStartupAsync_CurrentTampered_ResetsToPreviousAndSaysSo()
    {
        await InstallTwoReleasesAsync();
        File.AppendAllText(_workspace.Installed("1.1.0", "app.txt"), "implant");

        var result = await _workspace.Client.VerifyOnStartupAsync(_workspace.Folder, _workspace.Trust);

        result.Outcome.Should().Be(StartupVerificationOutcome.Reset);
        result.Version.Should().Be("1.0.0");
        new FileInfo(Path.Combine(_workspace.Target, "current")).LinkTarget.Should().Be("versions/1.0.0");
        (await _workspace.Client.VerifyOnStartupAsync(_workspace.Folder, _workspace.Trust)).Outcome.Should().Be(StartupVerificationOutcome.Verified);
    }

    [Fact]
    public async Task VerifyOnStartupAsync_UnrelatedTrust_ThrowsTrustMismatchAndSwitchesNothing()
    {
        await InstallTwoReleasesAsync();
        var (_, otherPublicKey) = _workspace.GenerateKey("other");
        var unrelated = TrustRoot.Load(new System.IO.Abstractions.FileSystem(), otherPublicKey);
        var before = TargetSnapshot.Capture(_workspace.Target);

        var startup = () => _workspace.Client.VerifyOnStartupAsync(_workspace.Folder, unrelated);

        // Not "Reset": nothing was switched, and an app told to restart would only meet the same mismatch again.
        (await startup.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.TrustMismatch);
        before.ShouldBeUnchanged("a trust mismatch runs no fallback");
    }

    [Fact]
    public async Task VerifyOnStartupAsync_NothingVerifies_ReturnsReinstallNeededAndSwitchesNothing()
    {
        await InstallTwoReleasesAsync();
        File.AppendAllText(_workspace.Installed("1.1.0", "app.txt"), "implant");
        File.AppendAllText(_workspace.Installed("1.0.0", "app.txt"), "implant");

        var result = await _workspace.Client.VerifyOnStartupAsync(_workspace.Folder, _workspace.Trust);

        result.Outcome.Should().Be(StartupVerificationOutcome.ReinstallNeeded);
        result.Version.Should().BeNull();
        new FileInfo(Path.Combine(_workspace.Target, "current")).LinkTarget.Should().Be("versions/1.1.0");
        var log = _workspace.Client.ReadEvents(_workspace.Folder);
        var broken = log.Broken;
        var events = log.Events;
        broken.Should().BeNull();
        events.Select(e => e.Name).Should().EndWith(["verify-failed", "reinstall-needed"]);
        events[^1].FallbackMode.Should().Be("hard_reset");
    }

    [Fact]
    public async Task ApplyAsync_TamperedUpdate_RecordsARefusedEventWithHardReset()
    {
        await InstallTwoReleasesAsync();
        _workspace.WriteInput("app.txt", "three");
        await _workspace.PublishAsync("1.2.0");
        var blob = Directory.GetFiles(Path.Combine(_workspace.Feed, "blobs", "sha256")).Single(b => File.ReadAllText(b) == "three");
        File.WriteAllText(blob, "thr3e");

        Func<Task> apply = () => _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder });

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.HashMismatch);
        var last = _workspace.Client.ReadEvents(_workspace.Folder).Events[^1];
        last.Name.Should().Be("refused");
        last.ErrorName.Should().Be("hash_mismatch");
        last.FallbackMode.Should().Be("hard_reset");
    }

    private async Task InstallTwoReleasesAsync()
    {
        _workspace.WriteInput("app.txt", "one");
        await _workspace.PublishAsync("1.0.0");
        await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder, App = ReleaseWorkspace.App });
        _workspace.WriteInput("app.txt", "two");
        await _workspace.PublishAsync("1.1.0");
        await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder });
    }
}
