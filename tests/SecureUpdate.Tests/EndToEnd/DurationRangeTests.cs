using SecureUpdate.Tests.Companion;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Durations that would overflow timers: every duration option has a range that everything downstream honours.
/// The longest value of each is accepted and the command runs to its normal end; one unit more is a usage error
/// at parse time (exit 2) that states the range, with nothing fetched, written or switched.
/// </summary>
public sealed class DurationRangeTests
{
    public static TheoryData<string, string, string> AboveTheRange => new()
    {
        { "apply", "--timeout", "50d" },
        { "apply", "--timeout", "1177h" },
        { "apply", "--health-timeout", "50d" },
        { "swap", "--wait-timeout", "50d" },
        { "swap", "--health-timeout", "50d" },
        { "swap", "--confirm-within", "3651d" },
        { "release", "--expires", "3651d" },
        { "rollout", "--expires", "3651d" },
        { "trust init", "--expires", "3651d" },
    };

    [Fact]
    public async Task Apply_LongestTimeout_Installs()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await scenario.ApplyAsync("--timeout", "49d");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task Apply_LongestHealthTimeout_RunsTheCheckAndInstalls()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await scenario.ApplyAsync("--health-check", "true", "--health-timeout", "49d");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task Swap_LongestWaitAndHealthTimeouts_Switches()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();

        var result = await scenario.SwapAsync("--wait-pid", "999999", "--wait-timeout", "49d", "--health-check", "true", "--health-timeout", "49d");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task Swap_LongestConfirmationWindow_IsAccepted()
    {
        // Nothing is staged, so the swap ends at once instead of waiting ten years for a confirmation;
        // the library checks the window before it looks at what is staged.
        await using var scenario = await CompanionScenario.CreateAsync();

        var result = await scenario.SwapAsync("--confirm-within", "3650d");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
    }

    [Fact]
    public async Task ReleaseRolloutAndTrustInit_LongestExpiry_Succeed()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");

        var release = await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1,
            "--input", template.InputFolder(ReleaseInputs.V1), "--key", template.KeyFile, "--expires", "3650d", "--json");
        var rollout = await CliRunner.RunAsync(
            "rollout", "--feed", feed, "--app", ReleaseInputs.App, "--percent", "50", "--key", template.KeyFile, "--expires", "3650d", "--json");
        var trust = await CliRunner.RunAsync(
            "trust", "init", "--out", temp.Combine("root.json"), "--root-key", template.TrustFile, "--release-key", template.TrustFile, "--expires", "3650d");

        release.ShouldExitWith(0).ShouldHaveNoStackTrace();
        rollout.ShouldExitWith(0).ShouldHaveNoStackTrace();
        trust.ShouldExitWith(0).ShouldHaveNoStackTrace();
        File.Exists(temp.Combine("root.json")).Should().BeTrue(trust.Describe());
    }

    [Theory]
    [MemberData(nameof(AboveTheRange))]
    public async Task Duration_AboveItsRange_IsAUsageErrorStatingTheRange(string command, string option, string duration)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var feedBefore = TargetSnapshot.Capture(scenario.Feed);
        var max = duration.EndsWith("3651d", StringComparison.Ordinal) ? "3650d" : "49d";
        List<string> arguments = command switch
        {
            "apply" => ["apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, "--health-check", "true"],
            "swap" => ["swap", "--target", scenario.Target],
            "release" =>
            [
                "release", "--feed", scenario.Feed, "--app", ReleaseInputs.App, "--version", "2.0.0",
                "--input", scenario.Template.InputFolder(ReleaseInputs.V2), "--key", scenario.Template.KeyFile,
            ],
            "rollout" => ["rollout", "--feed", scenario.Feed, "--app", ReleaseInputs.App, "--percent", "50", "--key", scenario.Template.KeyFile],
            "trust init" => ["trust", "init", "--out", scenario.Temp.Combine("root.json"), "--root-key", scenario.TrustFile, "--release-key", scenario.TrustFile],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };

        var result = await CliRunner.RunAsync([.. arguments, option, duration, "--json"]);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("usage");
        result.StderrLines[0].Should().Be($"secure-update {command}: {option} '{duration}' is out of range: give 1s to {max}. (see --help)", result.Describe());
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for a refused command line");
        feedBefore.ShouldBeUnchanged("nothing is released or re-signed for a refused command line");
        File.Exists(scenario.Temp.Combine("root.json")).Should().BeFalse("nothing is written for a refused command line");
        scenario.ShouldBeUntouched();

        var help = await CliRunner.RunAsync([.. command.Split(' '), "--help"]);
        help.ShouldExitWith(0);
        help.Stdout.Should().Contain($"Range 1s to {max}.", "--help states the range\n{0}", help.Describe());
    }
}
