using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// Two kills in a row on the same target, at different points and with no command in between (the second command
/// settles the first crash, then dies itself), then a clean <c>apply</c>: the target ends on 1.1.0 and verifies.
/// </summary>
[Collection(CrashSuite.Name)]
public sealed class RepeatedCrashTests
{
    private readonly CrashWorkspace _workspace;

    public RepeatedCrashTests(CrashWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<CrashCommand, string, CrashCommand, string> Cases() => new()
    {
        // The second apply undoes the first, installs again and dies while pruning.
        { CrashCommand.ApplyUpdate, "version-moved", CrashCommand.ApplyUpdate, "pruned" },

        // The second apply's recovery switches back (the first "switched"), its own install switches again (the second).
        { CrashCommand.HealthCheckedApply, "switched", CrashCommand.HealthCheckedApply, "switched#2" },

        // A health-checked install dies after raising the floor to the version it is still checking.
        { CrashCommand.ApplyUpdate, "journal-written", CrashCommand.HealthCheckedApply, "state-written" },

        // A stage undone, a second stage killed just before it is recorded as done.
        { CrashCommand.StageOnly, "manifest-written", CrashCommand.StageOnly, "before-journal-cleared" },

        // An install rolled forward by a rollback that then dies before switching back.
        { CrashCommand.ApplyUpdate, "state-written", CrashCommand.Rollback, "journal-written" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Apply_AfterTwoKillsInARow_EndsOnNewReleaseAndVerifies(CrashCommand first, string firstPoint, CrashCommand second, string secondPoint)
    {
        var targets = await _workspace.GetTargetsAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("target");
        targets.CopyStartingTarget(first, target);
        var v1 = ReleaseFiles.Of(ReleaseInputs.V1);
        var v2 = ReleaseFiles.Of(ReleaseInputs.V2);

        (await CrashCli.RunAsync(firstPoint, targets.Arguments(first, target))).ShouldExitWith(CrashCli.KilledExitCode);
        CrashInvariant.ShouldBeOldOrNew(target, v1, v2, $"after the first kill at {firstPoint}");
        (await CrashCli.RunAsync(secondPoint, targets.Arguments(second, target))).ShouldExitWith(CrashCli.KilledExitCode);
        CrashInvariant.ShouldBeOldOrNew(target, v1, v2, $"after the second kill at {secondPoint}");
        File.Exists(CrashInvariant.JournalPath(target)).Should().BeTrue("the second kill leaves its own journal");

        var apply = await CrashCli.RunAsync(null, targets.Apply(target));

        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V2);
        await CrashInvariant.ShouldBeSettledAsync(target, targets.TrustFile, v1, v2, "after the clean apply");
    }
}
