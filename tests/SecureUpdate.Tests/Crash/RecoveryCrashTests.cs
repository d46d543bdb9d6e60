using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// A kill during recovery itself: a command leaves a journal by dying at a crash point, the next command dies while it
/// finishes or undoes that operation, and the one after it still settles the target.
/// </summary>
[Collection(CrashSuite.Name)]
public sealed class RecoveryCrashTests
{
    private readonly CrashWorkspace _workspace;

    public RecoveryCrashTests(CrashWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<CrashCommand, string, string, string> Cases() => new()
    {
        // Rolling forward an install that had switched: recovery prunes, then clears the journal.
        { CrashCommand.ApplyUpdate, "switched", "status", "pruned" },
        { CrashCommand.ApplyUpdate, "switched", "status", "before-journal-cleared" },
        { CrashCommand.SwapStaged, "state-written", "verify", "pruned" },

        // Undoing an install that had not switched: recovery removes the new version, then clears the journal.
        { CrashCommand.ApplyUpdate, "version-moved", "verify", "before-journal-cleared" },

        // Undoing a switch whose health check had not passed yet: recovery switches back, then clears the journal.
        { CrashCommand.HealthCheckedApply, "switched", "status", "switched" },
        { CrashCommand.HealthCheckedApply, "pruned", "verify", "before-journal-cleared" },

        // Finishing a rollback that had switched.
        { CrashCommand.Rollback, "switched", "status", "before-journal-cleared" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Recovery_KilledWhileSettlingAnInterruptedCommand_NextCommandStillSettles(CrashCommand command, string point, string recoveringCommand, string recoveryPoint)
    {
        var targets = await _workspace.GetTargetsAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("target");
        targets.CopyStartingTarget(command, target);
        var old = CrashTargets.Old(command);
        var @new = CrashTargets.New(command);
        (await CrashCli.RunAsync(point, targets.Arguments(command, target))).ShouldExitWith(CrashCli.KilledExitCode);
        File.Exists(CrashInvariant.JournalPath(target)).Should().BeTrue("the first kill leaves a journal for recovery");
        string[] recovering = recoveringCommand == "status"
            ? ["status", "--target", target]
            : ["verify", "--target", target, "--trust", targets.TrustFile];

        var killedRecovery = await CrashCli.RunAsync(recoveryPoint, recovering);

        killedRecovery.ShouldExitWith(CrashCli.KilledExitCode);
        File.Exists(CrashInvariant.JournalPath(target)).Should().BeTrue(
            "recovery reached {0} before clearing the journal, so the journal must still be there for the next command\n{1}", recoveryPoint, CrashInvariant.Listing(target));
        CrashInvariant.ShouldBeOldOrNew(target, old, @new, $"right after recovery was killed at {recoveryPoint}");
        await CrashInvariant.ShouldRecoverAsync(target, targets.TrustFile, old, @new);
        await CrashFollowUp.ShouldReachNewAsync(targets, command, target);
    }
}
