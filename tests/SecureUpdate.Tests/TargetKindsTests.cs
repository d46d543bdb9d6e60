using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests;

/// <summary>
/// One method per operation for both kinds of target: the same calls install, update, verify, report,
/// list events and roll back a folder target and a single-file target, and each kind refuses what it cannot do.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class TargetKindsTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    public static TheoryData<TargetKind> Kinds => new() { TargetKind.Folder, TargetKind.File };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryOperation_EitherKind_WorksThroughTheSameCalls(TargetKind kind)
    {
        var target = TargetOf(kind);
        var client = _workspace.Client;

        await PublishAsync("1.0.0", "one");
        var installed = await client.ApplyAsync(Request(target));
        await PublishAsync("1.1.0", "two");
        var updated = await client.ApplyAsync(Request(target));
        var verified = await client.VerifyAsync(target, _workspace.Trust);
        var status = client.GetStatus(target);
        var rolledBack = await client.RollbackAsync(target);
        var events = client.ReadEvents(target);

        installed.Outcome.Should().Be(ApplyOutcome.Installed);
        updated.Outcome.Should().Be(ApplyOutcome.Updated);
        updated.PreviousVersion.Should().Be("1.0.0");
        verified.Version.Should().Be("1.1.0");
        status.Target.Should().Be(target.Path);
        status.CurrentVersion.Should().Be("1.1.0");
        status.InstalledVersions.Should().Equal("1.1.0", "1.0.0");
        status.Floor.Should().Be("1.1.0");
        rolledBack.Version.Should().Be("1.0.0");
        rolledBack.From.Should().Be("1.1.0");
        client.GetStatus(target).RejectedVersions.Should().Equal("1.1.0");
        File.ReadAllText(RunnablePath(target)).Should().Be("one", "the rollback put the verified earlier release back");
        events.IsIntact.Should().BeTrue(events.Broken);
        events.Events.Select(e => (e.Name, e.Version)).Should().Equal(("installed", "1.0.0"), ("installed", "1.1.0"), ("rolled-back", "1.0.0"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task VerifyAsync_CurrentTampered_HardResetGoesBackToTheVersionThatVerifies(TargetKind kind)
    {
        var target = TargetOf(kind);
        await PublishAsync("1.0.0", "one");
        await _workspace.Client.ApplyAsync(Request(target));
        await PublishAsync("1.1.0", "two");
        await _workspace.Client.ApplyAsync(Request(target));
        File.WriteAllText(RunnablePath(target), "tampered");

        var verify = () => _workspace.Client.VerifyAsync(target, _workspace.Trust);

        var refused = (await verify.Should().ThrowAsync<VerificationException>()).Which;
        refused.Code.Should().Be(ErrorCode.HashMismatch);
        refused.Message.Should().Contain("Switched back to 1.0.0");
        File.ReadAllText(RunnablePath(target)).Should().Be("one");
        var last = _workspace.Client.ReadEvents(target).Events.TakeLast(2).ToList();
        last.Select(e => (e.Name, e.FallbackMode)).Should().Equal(("verify-failed", "hard_reset"), ("reset", "hard_reset"));
    }

    [Fact]
    public async Task ApplyAsync_StageOnlyOrHealthCheckForASingleFile_IsRefusedBeforeAnythingIsFetched()
    {
        var target = TargetOf(TargetKind.File);
        await PublishAsync("1.0.0", "one");

        var stageOnly = () => _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = target, App = ReleaseWorkspace.App, StageOnly = true });
        var healthCheck = () => _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = target, App = ReleaseWorkspace.App, HealthCheck = "true" });

        (await stageOnly.Should().ThrowAsync<ConfigurationException>()).Which.Setting.Should().Be(nameof(ApplyRequest.StageOnly));
        (await healthCheck.Should().ThrowAsync<ConfigurationException>()).Which.Setting.Should().Be(nameof(ApplyRequest.HealthCheck));
        File.Exists(target.Path).Should().BeFalse();
        Directory.Exists(Path.Combine(_workspace.Root, "bin", ".tool.secure-update")).Should().BeFalse("nothing was created");
    }

    [Fact]
    public async Task ApplyAsync_FirstInstallWithoutApp_NamesTheSettingNotAFlag()
    {
        await PublishAsync("1.0.0", "one");

        var apply = () => _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder });

        var refused = (await apply.Should().ThrowAsync<ConfigurationException>()).Which;
        refused.Code.Should().Be(ErrorCode.Usage);
        refused.Setting.Should().Be(nameof(ApplyRequest.App));
        refused.Path.Should().Be(_workspace.Folder.Path);
        refused.Message.Should().NotContain("--");
        Directory.Exists(_workspace.Target).Should().BeFalse("a first install that fails removes what it made");
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\0path")]
    public void Target_UnusablePath_IsAUsageError(string path)
    {
        var folder = () => Target.Folder(path);
        var file = () => Target.File(path);

        folder.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Usage);
        file.Should().Throw<ConfigurationException>().Which.Setting.Should().Be("Target");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/opt/tool/")]
    public void FileTarget_PathThatNamesNoFile_IsAUsageError(string path)
    {
        var file = () => Target.File(path);

        file.Should().Throw<ConfigurationException>().Which.Setting.Should().Be("Target");
        Target.Folder(path).Path.Should().Be(Path.GetFullPath(path), "a folder target may end in a separator");
    }

    [Fact]
    public void Target_RelativePath_IsMadeFullAndComparesByKindAndPath()
    {
        var relative = Target.Folder("some/target");

        relative.Path.Should().Be(Path.GetFullPath("some/target"));
        relative.Should().Be(Target.Folder(Path.GetFullPath("some/target")));
        relative.Should().NotBe(Target.File("some/target"));
    }

    private Target TargetOf(TargetKind kind)
    {
        if (kind == TargetKind.Folder)
        {
            return _workspace.Folder;
        }

        var bin = Path.Combine(_workspace.Root, "bin");
        Directory.CreateDirectory(bin);
        File.SetUnixFileMode(bin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return Target.File(Path.Combine(bin, "tool"));
    }

    /// <summary>Where the app's one file runs from: through <c>current</c> for a folder, the file itself otherwise.</summary>
    private static string RunnablePath(Target target) =>
        target.Kind == TargetKind.Folder ? Path.Combine(target.Path, "current", "tool") : target.Path;

    private ApplyRequest Request(Target target) =>
        new() { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = target, App = ReleaseWorkspace.App };

    private Task<SecureUpdate.Publishing.ReleaseResult> PublishAsync(string version, string contents)
    {
        _workspace.WriteInput("tool", contents, executable: true);
        return _workspace.PublishAsync(version);
    }
}
