using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// <c>--health-check</c> on apply and swap: run in the new version's folder with SECURE_UPDATE_VERSION set; a non-zero
/// exit, a missing command or a hang (bounded by --health-timeout) switches back (exit 5), and the failed version is
/// rejected so that nothing installs it again automatically.
/// </summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task ApplyHealthCheck_CommandPasses_InstallsNewVersion()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var folder = Path.Combine(scenario.Target, "versions", ReleaseInputs.V2);
        var check = $"test \"$SECURE_UPDATE_VERSION\" = {ReleaseInputs.V2} && test \"$(pwd -P)\" = '{folder}' && ./bin/demo | grep -q 'demo {ReleaseInputs.V2}'";

        var result = await scenario.ApplyAsync("--health-check", check, "--health-timeout", "20s");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("updated", result.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        (await scenario.VerifyAsync()).ShouldExitWith(0);
    }

    [Theory]
    [InlineData("exit 3")]
    [InlineData("no-such-command-xyz")]
    [InlineData("test \"$SECURE_UPDATE_VERSION\" = 1.0.0")]
    public async Task ApplyHealthCheck_CommandFails_SwitchesBackExit5AndRejectsVersion(string check)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var before = TargetSnapshot.Capture(scenario.Target);

        var result = await scenario.ApplyAsync("--health-check", check, "--health-timeout", "20s");

        result.ShouldExitWith(5).ShouldReportFailureClearly().ShouldHaveErrorCode("health_check_failed");
        await ShouldHaveSwitchedBackAndRejectedAsync(scenario, before);
    }

    [Fact]
    public async Task ApplyHealthCheck_CommandHangs_KilledAfterTimeoutAndSwitchedBack()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var pidFile = scenario.PidFile("hanging-check");
        var before = TargetSnapshot.Capture(scenario.Target);

        var result = await scenario.ApplyAsync("--health-check", $"sleep 600 & echo $! > '{pidFile}'; wait", "--health-timeout", "2s");

        result.ShouldExitWith(5).ShouldReportFailureClearly().ShouldHaveErrorCode("health_check_failed");
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the health check is bounded by --health-timeout 2s\n{0}", result.Describe());
        var pid = await ProcessProbe.ReadPidFileAsync(pidFile, TimeSpan.FromSeconds(1));
        pid.Should().NotBeNull("the health check should have started");
        (await ProcessProbe.WaitForExitAsync(pid!.Value, TimeSpan.FromSeconds(10))).Should().BeTrue("the hanging health check (its whole process tree) is killed");
        await ShouldHaveSwitchedBackAndRejectedAsync(scenario, before);
    }

    [Fact]
    public async Task ApplyHealthCheck_CommandLeavesBackgroundProcess_FinishesWithinHealthTimeout()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var pidFile = scenario.PidFile("background");

        // The check itself exits at once, but leaves a process behind that holds its stdout and stderr.
        using var apply = CliRunner.Start(
            "apply", "--feed", scenario.Feed, "--trust", scenario.TrustFile, "--target", scenario.Target, "--json",
            "--health-check", $"sleep 600 & echo $! > '{pidFile}'; exit 0", "--health-timeout", "2s");
        var finished = apply.WaitAsync(CliRunner.DefaultTimeout);
        var inTime = await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(10))) == finished;
        var pid = await ProcessProbe.ReadPidFileAsync(pidFile, TimeSpan.FromSeconds(1));
        if (pid is { } leftover)
        {
            ProcessProbe.Kill(leftover);
        }

        var result = await finished;

        inTime.Should().BeTrue("apply must finish within a bounded time after its health check exited (--health-timeout 2s), whatever the check left running\n{0}", result.Describe());
        result.ShouldExitWith(0);
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Theory]
    [InlineData("exit 1", "20s")]
    [InlineData("no-such-command-xyz", "20s")]
    [InlineData("sleep 600", "2s")]
    public async Task SwapHealthCheck_CommandFailsOrHangs_SwitchesBackExit5(string check, string timeout)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var before = TargetSnapshot.Capture(scenario.Target);

        var result = await scenario.SwapAsync("--health-check", check, "--health-timeout", timeout);

        result.ShouldExitWith(5).ShouldReportFailureClearly().ShouldHaveErrorCode("health_check_failed");
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), result.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        TargetSnapshot.Difference(before, TargetSnapshot.Capture(scenario.Target)).Trim().Should().Be(
            "changed: " + StateEntry(before) + "  =>  " + StateEntry(TargetSnapshot.Capture(scenario.Target)),
            "only the state changes: the failed version is rejected");
        var again = await scenario.SwapAsync();
        again.ShouldExitWith(0);
        again.JsonString("outcome").Should().Be("current", "the rejected version is not swapped in again\n{0}", again.Describe());
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
    }

    /// <summary>Current is 1.0.0 again, 1.1.0 is gone, only the state changed, and the next apply leaves 1.1.0 alone.</summary>
    private static async Task ShouldHaveSwitchedBackAndRejectedAsync(CompanionScenario scenario, TargetSnapshot before)
    {
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        Directory.Exists(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2)).Should().BeFalse("apply removes the version that failed its health check");
        var after = TargetSnapshot.Capture(scenario.Target);
        TargetSnapshot.Difference(before, after).Trim().Should().Be(
            "changed: " + StateEntry(before) + "  =>  " + StateEntry(after),
            "only the state changes: the failed version is rejected");
        scenario.EventNames().Should().Contain("health-check-failed");

        var next = await scenario.ApplyAsync();
        next.ShouldExitWith(0).ShouldHaveNoStackTrace();
        next.JsonString("outcome").Should().Be("current", "a version that failed its health check is not installed again automatically\n{0}", next.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
    }

    private static SnapshotEntry StateEntry(TargetSnapshot snapshot) =>
        snapshot.Entries.Single(entry => entry.RelativePath == ".secure-update/state.json");
}
