using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>The target's lock held by another process (here, the test): apply, swap and rollback exit 6 and change nothing.</summary>
public sealed class LockHeldTests
{
    [Theory]
    [InlineData("apply")]
    [InlineData("swap")]
    [InlineData("rollback")]
    public async Task TargetCommand_LockHeldElsewhere_Exit6AndTargetUnchanged(string command)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        if (command == "rollback")
        {
            // Something to roll back to, so that only the lock stands in the way.
            (await scenario.SwapAsync()).ShouldExitWith(0);
        }

        var current = TargetAssert.CurrentVersion(scenario.Target);
        scenario.Recapture();
        CliResult result;

        // FileShare.None takes the same exclusive flock that secure-update takes.
        using (new FileStream(Path.Combine(scenario.Target, ".secure-update", "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            result = await scenario.RunAsync(command);
        }

        scenario.ShouldBeRefused(result, 6, "locked", current);
    }
}
