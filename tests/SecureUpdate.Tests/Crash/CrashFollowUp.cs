using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>What must work after a crash has been recovered from: the interrupted change can be made to completion.</summary>
public static class CrashFollowUp
{
    /// <summary>
    /// Brings the target to the new release of <paramref name="command"/> with a clean command, and checks it verifies:
    /// an <c>apply</c> reaches 1.1.0; after a rollback, 1.0.0 is current (rolling back again if the crash undid it) and
    /// a following <c>apply</c> keeps it, because 1.1.0 was rolled back from and is legitimately not installed again.
    /// (The installed folder is compared with the release input byte for byte; <c>verify</c> already ran after recovery.)
    /// </summary>
    public static async Task ShouldReachNewAsync(CrashTargets targets, CrashCommand command, string target)
    {
        if (command == CrashCommand.Rollback)
        {
            if (CrashInvariant.CurrentLink(target) == "versions/" + ReleaseInputs.V2)
            {
                (await CrashCli.RunAsync(null, "rollback", "--target", target)).ShouldExitWith(0).ShouldHaveNoStackTrace();
            }

            TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V1);
            (await CrashCli.RunAsync(null, targets.Apply(target))).ShouldExitWith(0).ShouldHaveNoStackTrace();
            TargetAssert.CurrentVersion(target).Should().Be(ReleaseInputs.V1, "a version rolled back from is not installed again until a newer one is published");
        }
        else
        {
            string[] apply = command == CrashCommand.HealthCheckedApply
                ? [.. targets.Apply(target), "--health-check", CrashTargets.HealthyCheck]
                : targets.Apply(target);
            (await CrashCli.RunAsync(null, apply)).ShouldExitWith(0).ShouldHaveNoStackTrace();
            TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V2);
        }

        File.Exists(CrashInvariant.JournalPath(target)).Should().BeFalse("a finished command leaves no journal");
    }
}
