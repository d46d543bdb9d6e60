using System.Globalization;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// <c>swap --restart</c>: the app is started detached (its own session) in the new version's folder with
/// SECURE_UPDATE_VERSION set, and after a failed health check the previous version is switched back and restarted.
/// </summary>
public sealed class SwapRestartTests
{
    /// <summary>Appends one line "VERSION|PWD|PID|SESSION" to the marker file.</summary>
    private static string RestartCommand(string marker) =>
        $"read -r _ _ _ _ _ sid _ < /proc/$$/stat; printf '%s|%s|%s|%s\\n' \"$SECURE_UPDATE_VERSION\" \"$(pwd -P)\" \"$$\" \"$sid\" >> '{marker}'";

    [Fact]
    public async Task SwapRestart_AfterSwitch_StartsCommandDetachedInNewVersionFolder()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var marker = scenario.Temp.Combine("restarted.txt");

        var result = await scenario.SwapAsync("--restart", RestartCommand(marker));

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        var lines = await ProcessProbe.WaitForLinesAsync(marker, 1, TimeSpan.FromSeconds(15));
        lines.Should().ContainSingle("the restart command runs once\n{0}", result.Describe());
        var fields = lines[0].Split('|');
        fields[0].Should().Be(ReleaseInputs.V2, "SECURE_UPDATE_VERSION names the new version");
        fields[1].Should().Be(RealPath(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2)), "the app starts in the new version's folder");
        fields[3].Should().Be(fields[2], "the app runs detached, as the leader of its own session (setsid)");
        ProcessProbe.SessionId(Environment.ProcessId).ToString(CultureInfo.InvariantCulture).Should().NotBe(fields[3]);
    }

    [Fact]
    public async Task SwapRestart_HealthCheckFails_SwitchesBackAndRestartsPreviousVersion()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var marker = scenario.Temp.Combine("restarted.txt");
        var before = TargetSnapshot.Capture(scenario.Target);

        var result = await scenario.SwapAsync("--restart", RestartCommand(marker), "--health-check", "exit 1", "--health-timeout", "10s");

        result.ShouldExitWith(5).ShouldReportFailureClearly().ShouldHaveErrorCode("health_check_failed");
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        var lines = await ProcessProbe.WaitForLinesAsync(marker, 2, TimeSpan.FromSeconds(15));
        lines.Select(line => line.Split('|')[0]).Should().BeEquivalentTo([ReleaseInputs.V2, ReleaseInputs.V1], "the new version was started, then the previous one again\n{0}", result.Describe());
        lines.Select(line => line.Split('|')[1]).Should().Contain(RealPath(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1)), "the previous version is restarted in its own folder");

        // Only the state changed: the failed version is rejected, so nothing swaps or installs it again.
        TargetSnapshot.Difference(before, TargetSnapshot.Capture(scenario.Target)).Trim().Should().StartWith("changed: .secure-update/state.json").And.NotContain("\n");
        scenario.EventNames().Should().Contain("health-check-failed");
        var again = await scenario.SwapAsync();
        again.ShouldExitWith(0);
        again.JsonString("outcome").Should().Be("current", "a version that failed its health check is not swapped in again\n{0}", again.Describe());
        var apply = await scenario.ApplyAsync();
        apply.ShouldExitWith(0);
        apply.JsonString("outcome").Should().Be("current", "nor installed again by apply\n{0}", apply.Describe());
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
    }

    [Fact]
    public async Task SwapRestart_StagedVersionTampered_NothingSwitchedAndPreviousVersionRestarted()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        File.AppendAllText(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2, ReleaseInputs.Readme), "tampered\n");
        var marker = scenario.Temp.Combine("restarted.txt");
        var before = TargetSnapshot.Capture(scenario.Target);

        var result = await scenario.SwapAsync("--restart", RestartCommand(marker));

        // The app exited for the swap; a refused swap must not leave it down.
        result.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("hash_mismatch");
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        TargetSnapshot.Difference(before, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty("nothing is switched or changed");
        var lines = await ProcessProbe.WaitForLinesAsync(marker, 1, TimeSpan.FromSeconds(15));
        lines.Should().ContainSingle().Which.Split('|')[0].Should().Be(ReleaseInputs.V1, "the version the app ran is started again\n{0}", result.Describe());
    }

    [Fact]
    public async Task SwapRestart_RestartedAppKeepsRunning_CompanionOutputClosesWhenCompanionExits()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var pidFile = scenario.PidFile("app");

        // A restarted app runs on for a long time; whoever reads the companion's output must not wait for it.
        using var swap = CliRunner.Start("swap", "--target", scenario.Target, "--json", "--restart", $"echo $$ > '{pidFile}'; exec sleep 600");
        var finished = swap.WaitAsync(CliRunner.DefaultTimeout);
        var pid = await ProcessProbe.ReadPidFileAsync(pidFile, TimeSpan.FromSeconds(30));
        pid.Should().NotBeNull("the restart command should have started");
        var closedInTime = await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(8))) == finished;
        ProcessProbe.Kill(pid!.Value);
        var result = await finished;

        result.ShouldExitWith(0);
        closedInTime.Should().BeTrue("the detached app must not inherit the companion's stdout/stderr (a script reading `secure-update swap ... --json` would hang until the app exits)\n{0}", result.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    private static string RealPath(string path) =>
        new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
}
