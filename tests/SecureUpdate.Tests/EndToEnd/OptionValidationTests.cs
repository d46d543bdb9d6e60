using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// What the command line refuses while it is parsed, before any command runs: a bad value of every duration
/// option of every command, and <c>--target</c>/<c>--target-file</c> together or neither. Each is a usage error:
/// exit 2, one stderr line naming the command and the problem, no stack trace, with <c>--json</c> one object with
/// <c>error_code</c> <c>usage</c>, and nothing fetched, written or changed. Each command line would otherwise
/// succeed and change something (install, release, re-sign), so a refusal that came too late would show.
/// </summary>
public sealed class OptionValidationTests
{
    private const string NewVersion = "2.0.0";

    // Each duration option with the longest value it accepts: 49 days for what arms a timer, ten years for what is added to a clock.
    private static readonly (string Command, string Option, string Max)[] s_durationOptions =
    [
        ("apply", "--timeout", "49d"),
        ("apply", "--health-timeout", "49d"),
        ("swap", "--wait-timeout", "49d"),
        ("swap", "--health-timeout", "49d"),
        ("swap", "--confirm-within", "3650d"),
        ("release", "--expires", "3650d"),
        ("rollout", "--expires", "3650d"),
    ];

    public static TheoryData<string, string, string, bool> BadDurations()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var (command, option, _) in s_durationOptions)
        {
            // No unit, zero, a unit that is not one, and one day above the longest duration accepted anywhere (3650 days).
            data.Add(command, option, "10", false);
            data.Add(command, option, "0s", true);
            data.Add(command, option, "5x", false);
            data.Add(command, option, "3651d", true);
        }

        return data;
    }

    public static TheoryData<string, bool, bool> TargetChoices()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var command in new[] { "apply", "verify", "rollback", "status", "events" })
        {
            data.Add(command, false, false);
            data.Add(command, false, true);
            data.Add(command, true, false);
            data.Add(command, true, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadDurations))]
    public async Task Duration_NotADuration_IsAUsageErrorNamingTheOption(string command, string option, string duration, bool json)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var feedBefore = TargetSnapshot.Capture(scenario.Feed);
        List<string> arguments = command switch
        {
            "apply" => ["apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target],
            "swap" => ["swap", "--target", scenario.Target],
            "release" =>
            [
                "release", "--feed", scenario.Feed, "--app", ReleaseInputs.App, "--version", NewVersion,
                "--input", scenario.Template.InputFolder(ReleaseInputs.V2), "--key", scenario.Template.KeyFile,
            ],
            "rollout" => ["rollout", "--feed", scenario.Feed, "--app", ReleaseInputs.App, "--percent", "50", "--key", scenario.Template.KeyFile],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };
        arguments.AddRange([option, duration]);
        if (json)
        {
            arguments.Add("--json");
        }

        var result = await CliRunner.RunAsync([.. arguments]);

        var max = s_durationOptions.Single(o => o.Command == command && o.Option == option).Max;
        var message = duration is "0s" or "3651d"
            ? $"{option} '{duration}' is out of range: give 1s to {max}."
            : $"{option} '{duration}' is not a duration such as 30s, 10m, 12h or 30d (1s to {max}).";
        ShouldBeUsageError(result, command, message, json);
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for an invalid command line");
        feedBefore.ShouldBeUnchanged("nothing is released or re-signed for an invalid command line");
        scenario.ShouldBeUntouched();
    }

    [Theory]
    [InlineData("status")]
    [InlineData("apply")]
    public async Task TargetFile_RootFolder_IsAUsageErrorWithoutAStackTrace(string command)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        List<string> arguments = command == "apply"
            ? ["apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target-file", "/", "--json"]
            : [command, "--target-file", "/", "--json"];

        var result = await CliRunner.RunAsync([.. arguments]);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("usage");
        result.Stderr.Should().Contain("'/' is not a usable target path");
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for an unusable target");
    }

    [Theory]
    [MemberData(nameof(TargetChoices))]
    public async Task Target_BothOrNeither_IsAUsageError(string command, bool both, bool json)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var targetFile = Path.Combine(scenario.Work, "tool");
        var events = Path.Combine(scenario.Target, ".secure-update", "events.log");
        var eventsBefore = File.Exists(events) ? File.ReadAllBytes(events) : null;
        List<string> arguments = command switch
        {
            "apply" => ["apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile],
            "verify" or "rollback" => [command, "--trust", scenario.TrustFile],
            _ => [command],
        };
        if (both)
        {
            arguments.AddRange(["--target", scenario.Target, "--target-file", targetFile]);
        }

        if (json)
        {
            arguments.Add("--json");
        }

        var result = await CliRunner.RunAsync([.. arguments]);

        ShouldBeUsageError(result, command, "Give exactly one of --target DIR or --target-file PATH.", json);
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for an invalid command line");
        scenario.ShouldBeUntouched();
        if (eventsBefore is null)
        {
            File.Exists(events).Should().BeFalse("nothing is recorded for an invalid command line");
        }
        else
        {
            File.ReadAllBytes(events).Should().Equal(eventsBefore, "nothing is recorded for an invalid command line");
        }
    }

    [Fact]
    public async Task Apply_TimeoutAboveTheLibraryLimit_IsAUsageErrorNotACrash()
    {
        // 400d is a duration, but the overall deadline may be at most 49 days (a timer's limit; SecureUpdateOptions.Deadline).
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, "--timeout", "400d", "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("usage");
        result.StderrLines[0].Should().Be("secure-update apply: --timeout '400d' is out of range: give 1s to 49d. (see --help)", result.Describe());
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched with options the library refuses");
        scenario.ShouldBeUntouched();
    }

    [Theory]
    [InlineData("keygen")]
    [InlineData("release")]
    [InlineData("rollout")]
    [InlineData("apply")]
    [InlineData("verify")]
    [InlineData("status")]
    [InlineData("swap")]
    [InlineData("rollback")]
    [InlineData("events")]
    public async Task Help_WithoutRequiredOptions_IsPrintedAndExitsZero(string command)
    {
        // The command validators (exactly one target, fallback combinations) run while --help is parsed too: they must not turn help into an error.
        var result = await CliRunner.RunAsync(command, "--help");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.Stderr.Should().BeEmpty(result.Describe());
        result.Stdout.Should().Contain($"secure-update {command} [options]", result.Describe());
    }

    private static void ShouldBeUsageError(CliResult result, string command, string message, bool json)
    {
        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.StderrLines[0].Should().Be($"secure-update {command}: {message} (see --help)", "the line names the subcommand and the problem\n{0}", result.Describe());
        if (json)
        {
            result.ShouldHaveErrorCode("usage");
            result.JsonString("command").Should().Be(command, result.Describe());
            result.JsonString("message").Should().Be($"{message} (see --help)", result.Describe());
        }
        else
        {
            result.Stdout.Should().BeEmpty("a usage error prints nothing on stdout without --json\n{0}", result.Describe());
        }
    }
}
