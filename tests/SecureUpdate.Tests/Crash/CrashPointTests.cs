using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// Every crash point × every command that changes a target: the real process kills itself with SIGKILL at the point
/// (or, where the point is not on the command's path, simply succeeds), and the crash invariant holds. The cases come
/// from the library's own list of points, so a point added there is crash-tested here (and fails until its path is known).
/// </summary>
[Collection(CrashSuite.Name)]
public sealed class CrashPointTests
{
    private readonly CrashWorkspace _workspace;

    public CrashPointTests(CrashWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<CrashCommand, string> Cases()
    {
        var cases = new TheoryData<CrashCommand, string>();
        foreach (var command in Enum.GetValues<CrashCommand>())
        {
            foreach (var point in FaultInjection.Points)
            {
                cases.Add(command, point);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_KilledAtCrashPoint_LeavesOldOrNewAndNextCommandRecovers(CrashCommand command, string point)
    {
        var targets = await _workspace.GetTargetsAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("target");
        targets.CopyStartingTarget(command, target);
        var old = CrashTargets.Old(command);
        var @new = CrashTargets.New(command);

        var result = await CrashCli.RunAsync(point, targets.Arguments(command, target));

        if (CrashTargets.PointsOnPath(command).Contains(point))
        {
            result.ShouldExitWith(CrashCli.KilledExitCode);
            File.Exists(CrashInvariant.JournalPath(target)).Should().BeTrue(
                "every crash point lies between writing the journal and clearing it, so the kill leaves it for recovery\n{0}", CrashInvariant.Listing(target));
            var expected = CrashTargets.HasSwitchedAt(command, point) ? @new : old;
            CrashInvariant.ShouldBeOldOrNew(target, old, @new, $"right after the kill at {point}").Should().Be(
                expected.Version, "current moves exactly at the switch: before it the old release, from it on the new one");
        }
        else
        {
            result.ShouldExitWith(0).ShouldHaveNoStackTrace();
            var expected = command == CrashCommand.StageOnly ? old : @new;
            CrashInvariant.ShouldBeOldOrNew(target, old, @new, $"after {command}, which does not pass {point}").Should().Be(expected.Version);
        }

        var settled = await CrashInvariant.ShouldRecoverAsync(target, targets.TrustFile, old, @new);
        if (command == CrashCommand.HealthCheckedApply && point == "switched")
        {
            settled.Should().Be(old.Version, "a version killed before its health check passed must not be left current");
        }

        await CrashFollowUp.ShouldReachNewAsync(targets, command, target);
    }
}
