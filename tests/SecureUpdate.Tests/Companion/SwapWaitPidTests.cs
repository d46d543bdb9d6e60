using System.Diagnostics;
using System.Globalization;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary><c>swap --wait-pid</c>: the companion waits, bounded, for the exiting app before it switches anything.</summary>
public sealed class SwapWaitPidTests
{
    [Fact]
    public async Task SwapWaitPid_ProcessExitsDuringWait_SwitchesAfterItExits()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        using var app = Process.Start(new ProcessStartInfo("sleep", "2") { UseShellExecute = false })!;
        scenario.KillAtEnd(app.Id);

        var result = await scenario.SwapAsync("--wait-pid", app.Id.ToString(CultureInfo.InvariantCulture), "--wait-timeout", "30s");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        app.HasExited.Should().BeTrue("the swap returns only after the app has exited\n{0}", result.Describe());
        result.JsonString("outcome").Should().Be("swapped", result.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task SwapWaitPid_ProcessNeverExits_Exit5AppStillRunningAndOldVersionKept()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        using var app = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        scenario.KillAtEnd(app.Id);
        scenario.Recapture();

        var result = await scenario.SwapAsync("--wait-pid", app.Id.ToString(CultureInfo.InvariantCulture), "--wait-timeout", "2s");

        scenario.ShouldBeRefused(result, 5, "app_still_running");
        result.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the wait is bounded by --wait-timeout 2s\n{0}", result.Describe());
        ProcessProbe.IsRunning(app.Id).Should().BeTrue("the companion never kills the app it waits for");
        Directory.Exists(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2)).Should().BeTrue("the staged version stays for a later swap");
    }

    [Fact]
    public async Task SwapWaitPid_NoSuchProcess_SwitchesAtOnce()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        int pid;
        using (var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            await gone.WaitForExitAsync();
            pid = gone.Id;
        }

        var result = await scenario.SwapAsync("--wait-pid", pid.ToString(CultureInfo.InvariantCulture), "--wait-timeout", "30s");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }
}
