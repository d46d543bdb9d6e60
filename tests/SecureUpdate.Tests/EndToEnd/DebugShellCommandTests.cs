using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>--fallback debug-shell</c> driven through stdin: where it is permitted (<c>SECURE_UPDATE_DEBUG=1</c> and an
/// owner-only <c>TARGET/.secure-update/debug-allowed</c>) a failed verification opens a restricted prompt that runs
/// only its own argument-less commands, records every line before it runs, and switches nothing by itself; where it
/// is not permitted, nothing is read, the hard reset happens and stderr says why.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DebugShellCommandTests
{
    private const string Prompt = "secure-update debug> ";

    public static TheoryData<string> NotPermitted => new()
    {
        "variable unset",
        "variable is true",
        "no debug-allowed file",
        "debug-allowed world-writable 0666",
        "debug-allowed owned by uid 65534",
        "debug-allowed is a folder",
    };

    [Fact]
    public async Task Verify_PermittedAndCurrentTampered_OpensPromptWhoseCommandsWorkAndSwitchesNothing()
    {
        await using var scenario = await UpdatedThenTamperedAsync();
        DebugSwitch.Allow(scenario.Target);
        scenario.Recapture();

        // Nothing after "exit" may run: the rollback would switch current back to 1.0.0.
        var result = await VerifyWithDebugShellAsync(scenario, DebugSwitch.On, "help\nstatus\nevents\nverify\nexit\nrollback\n");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        result.StderrLines[0].Should().StartWith("secure-update verify: ").And.Contain("nothing was switched", result.Describe());
        result.Stderr.Should().NotContain("not permitted");
        CountOf(result.Stdout, Prompt).Should().Be(5, "one prompt per line read, and none after exit\n{0}", result.Describe());
        result.Stdout.Should().Contain("rollback  switch to the newest earlier version", "help lists the commands\n{0}", result.Describe())
            .And.MatchRegex(@"current:\s+" + Regex.Escape(ReleaseInputs.V2))
            .And.Contain("(status exited with 0)")
            .And.Contain("(events exited with 0)")
            .And.Contain("(verify exited with 3)")
            .And.NotContain("(rollback exited");
        scenario.ShouldBeUntouched(ReleaseInputs.V2);

        var events = await AuditEvents.ReadAsync(scenario.Target);
        var commands = events.Where(e => e.Name == "debug-shell-command").ToList();
        commands.Select(e => e.Detail).Should().SatisfyRespectively(
            help => help.Should().Contain("'help'"),
            status => status.Should().Contain("'status'"),
            listing => listing.Should().Contain("'events'"),
            verify => verify.Should().Contain("'verify'"),
            exit => exit.Should().Contain("'exit'"));
        commands.Should().OnlyContain(e => e.FallbackMode == "debug_shell" && e.ErrorCode == null);
        events.Where(e => e.Name == "verify-failed").Should().HaveCount(2, "the failure that opened the prompt and the verify run at it")
            .And.OnlyContain(e => e.FallbackMode == "debug_shell" && e.Version == ReleaseInputs.V2);
        events.Should().NotContain(e => e.Name == "reset" || e.Name == "rolled-back");
    }

    [Fact]
    public async Task Prompt_EscapeAttempts_AreRefusedRecordedAndRunNothing()
    {
        await using var scenario = await UpdatedThenTamperedAsync();
        DebugSwitch.Allow(scenario.Target);
        scenario.Recapture();
        var marker = "PWNED-" + Guid.NewGuid().ToString("N")[..12];
        string[] attempts =
        [
            "sh",
            "!sh",
            "/bin/sh",
            $"status; touch {marker}",
            $"status && touch {marker}",
            $"$(touch {marker})",
            $"`touch {marker}`",
            "rollback --target /",
            "verify --trust /tmp/x",
            $"exit; touch {marker}",
            "status " + new string('x', 10_000),
            $"status\0; touch {marker}",
            "\u001b[2J\u001b]0;owned\u0007status",
            "apply",
        ];

        var result = await VerifyWithDebugShellAsync(scenario, DebugSwitch.On, string.Join('\n', attempts) + "\nexit\n");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        CountOf(result.Stdout, Prompt).Should().Be(attempts.Length + 1, "every line is read, up to exit\n{0}", result.Describe());
        CountOf(result.Stdout, "refused: ").Should().Be(attempts.Length, "every attempt is refused\n{0}", result.Describe());
        result.Stdout.Should().NotContain("exited with", "no command ran\n{0}", result.Describe())
            .And.NotContain("\u001b", "control characters are never echoed to the terminal")
            .And.NotContain("\0")
            .And.Contain("longer than 256 characters");
        File.Exists(Path.Combine(Path.GetTempPath(), marker)).Should().BeFalse("the CLI's working folder must not get the marker");
        Directory.EnumerateFileSystemEntries(scenario.Temp.Path, marker + "*", SearchOption.AllDirectories).Should().BeEmpty();
        scenario.ShouldBeUntouched(ReleaseInputs.V2);

        var events = await AuditEvents.ReadAsync(scenario.Target);
        var commands = events.Where(e => e.Name == "debug-shell-command").ToList();
        commands.Should().HaveCount(attempts.Length + 1, "one event per line entered");
        commands.Take(attempts.Length).Should().OnlyContain(e => e.ErrorCode == "usage" && e.FallbackMode == "debug_shell" && e.Detail.Contains("refused", StringComparison.Ordinal));
        commands[^1].ErrorCode.Should().BeNull("exit is a command of the prompt");
        commands.Should().OnlyContain(e => !e.Detail.Any(char.IsControl), "the audit log keeps what was typed in printable form");
        commands[10].Detail.Should().Contain("longer than 256 characters");
        commands[10].Detail.Length.Should().BeLessThan(1_000, "a long line is not kept whole");
        events.Should().NotContain(e => e.Name == "reset" || e.Name == "rolled-back");
    }

    [Fact]
    public async Task Prompt_Rollback_SwitchesBackToPreviousVersionAndEndOfInputEndsThePrompt()
    {
        await using var scenario = await UpdatedThenTamperedAsync();
        DebugSwitch.Allow(scenario.Target);

        // No "exit": the end of input ends the prompt.
        var result = await VerifyWithDebugShellAsync(scenario, DebugSwitch.On, "status\nrollback\nstatus\n");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        CountOf(result.Stdout, Prompt).Should().Be(4, "three lines, then the prompt that meets the end of input\n{0}", result.Describe());
        result.Stdout.Should().Contain("(rollback exited with 0)", result.Describe())
            .And.MatchRegex(@"current:\s+" + Regex.Escape(ReleaseInputs.V2) + @"[\s\S]*current:\s+" + Regex.Escape(ReleaseInputs.V1));
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        var events = (await AuditEvents.ReadAsync(scenario.Target)).ToList();
        events.Where(e => e.Name == "debug-shell-command").Should().HaveCount(3);
        events.Should().Contain(e => e.Name == "rolled-back" && e.Version == ReleaseInputs.V1);
        events.FindIndex(e => e.Name == "debug-shell-command" && e.Detail.Contains("'rollback'", StringComparison.Ordinal))
            .Should().BeLessThan(events.FindIndex(e => e.Name == "rolled-back"), "a line is recorded before it runs");
        events.Should().NotContain(e => e.Name == "reset");
        (await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile)).ShouldExitWith(0);
    }

    [Theory]
    [MemberData(nameof(NotPermitted))]
    public async Task Verify_DebugShellNotPermitted_ReadsNothingActsAsHardResetAndSaysWhy(string situation)
    {
        await using var scenario = await UpdatedThenTamperedAsync();
        var environment = DebugSwitch.On;
        string reason;
        switch (situation)
        {
            case "variable unset":
                DebugSwitch.Allow(scenario.Target);
                environment = DebugSwitch.Unset;
                reason = "SECURE_UPDATE_DEBUG is not 1";
                break;
            case "variable is true":
                DebugSwitch.Allow(scenario.Target);
                environment = new Dictionary<string, string?> { [DebugSwitch.EnvironmentVariable] = "true" };
                reason = "SECURE_UPDATE_DEBUG is not 1";
                break;
            case "no debug-allowed file":
                reason = "does not exist";
                break;
            case "debug-allowed world-writable 0666":
                DebugSwitch.Allow(scenario.Target, AllowlistFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
                reason = "writable by group or others";
                break;
            case "debug-allowed owned by uid 65534":
                UnixFiles.ChangeOwner(DebugSwitch.Allow(scenario.Target));
                reason = "owned by another user";
                break;
            case "debug-allowed is a folder":
                Directory.CreateDirectory(DebugSwitch.FilePath(scenario.Target));
                reason = "debug-allowed";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(situation), situation, null);
        }

        var result = await VerifyWithDebugShellAsync(scenario, environment, "rollback\nstatus\nexit\n");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        result.Stdout.Should().NotContain(Prompt, "no prompt opens\n{0}", result.Describe()).And.NotContain("exited with");
        result.Stderr.Should().Contain("Switched back to " + ReleaseInputs.V1, result.Describe());
        result.StderrLines[^1].Should().StartWith("secure-update verify: debug-shell was asked for and is not permitted (")
            .And.Contain(reason)
            .And.EndWith("); acted as hard-reset.", result.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        var events = await AuditEvents.ReadAsync(scenario.Target);
        events.Should().NotContain(e => e.Name == "debug-shell-command");
        events.Should().Contain(e => e.Name == "verify-failed" && e.FallbackMode == "hard_reset" && e.Detail.Contains("not permitted", StringComparison.Ordinal));
        events.Should().Contain(e => e.Name == "reset" && e.Version == ReleaseInputs.V1 && e.FallbackMode == "hard_reset");
    }

    [Fact]
    public async Task Apply_PermittedAndReleaseTampered_OpensPromptAndLeavesTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        DebugSwitch.Allow(scenario.Target);
        scenario.Recapture();
        FileMutator.Apply(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Readme)), FileMutation.Flip);

        // At a prompt opened by apply, "apply" runs the same apply again (hard-reset) with the feed of the command line.
        var result = await CliRunner.RunWithInputAsync(
            DebugSwitch.On, "status\napply\nexit\n",
            "apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, "--fallback", "debug-shell");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        result.StderrLines[0].Should().StartWith("secure-update apply: ");
        CountOf(result.Stdout, Prompt).Should().Be(3, result.Describe());
        result.Stdout.Should().MatchRegex(@"current:\s+" + Regex.Escape(ReleaseInputs.V1))
            .And.Contain("(status exited with 0)")
            .And.Contain("(apply exited with 3)");
        scenario.ShouldBeUntouched();
        var events = await AuditEvents.ReadAsync(scenario.Target);
        events.Should().Contain(e => e.Name == "refused" && e.ErrorCode == "hash_mismatch" && e.FallbackMode == "debug_shell");
        events.Where(e => e.Name == "debug-shell-command").Should().HaveCount(3).And.OnlyContain(e => e.ErrorCode == null);
    }

    [Fact]
    public async Task Verify_PermittedAndOnlyVersionTampered_ExitsThreeAndKeepsIt()
    {
        // Hard-reset would find no version to go back to (exit 7, reinstall needed); debug-shell switches nothing, so 3.
        await using var scenario = await AttackScenario.CreateAsync();
        File.AppendAllText(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1, ReleaseInputs.Readme), "tampered\n");
        DebugSwitch.Allow(scenario.Target);
        scenario.Recapture();

        var result = await VerifyWithDebugShellAsync(scenario, DebugSwitch.On, "status\nexit\n");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        CountOf(result.Stdout, Prompt).Should().Be(2, result.Describe());
        result.Stdout.Should().Contain("(status exited with 0)");
        scenario.ShouldBeUntouched();
        (await AuditEvents.ReadAsync(scenario.Target)).Should().NotContain(e => e.Name == "reinstall-needed" || e.Name == "reset");
    }

    [Fact]
    public async Task Apply_DebugShellNotPermitted_RefusesWithoutPromptAndSaysWhy()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        FileMutator.Apply(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Readme)), FileMutation.Flip);

        var result = await CliRunner.RunWithInputAsync(
            DebugSwitch.On, "status\nexit\n",
            "apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, "--fallback", "debug-shell");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        result.Stdout.Should().NotContain(Prompt, result.Describe());
        result.StderrLines[^1].Should().StartWith("secure-update apply: debug-shell was asked for and is not permitted (")
            .And.Contain("does not exist")
            .And.EndWith("); acted as hard-reset.", result.Describe());
        scenario.ShouldBeUntouched();
        var events = await AuditEvents.ReadAsync(scenario.Target);
        events.Should().NotContain(e => e.Name == "debug-shell-command");
        events.Should().Contain(e => e.Name == "refused" && e.ErrorCode == "hash_mismatch" && e.FallbackMode == "hard_reset");
    }

    [Fact]
    public async Task Verify_Succeeds_OpensNoPrompt()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        DebugSwitch.Allow(scenario.Target);
        scenario.Recapture();

        var result = await VerifyWithDebugShellAsync(scenario, DebugSwitch.On, "rollback\nexit\n");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.Stdout.Should().Contain("Verified " + ReleaseInputs.V1).And.NotContain(Prompt);
        result.Stderr.Should().BeEmpty();
        scenario.ShouldBeUntouched();
        (await AuditEvents.ReadAsync(scenario.Target)).Should().NotContain(e => e.Name == "debug-shell-command");
    }

    /// <summary>A scenario where apply installed 1.1.0 and then its README was changed on disk: hard-reset would switch back to 1.0.0.</summary>
    private static async Task<AttackScenario> UpdatedThenTamperedAsync()
    {
        var scenario = await AttackScenario.CreateAsync();
        try
        {
            (await scenario.ApplyAsync()).ShouldExitWith(0);
            File.AppendAllText(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2, ReleaseInputs.Readme), "tampered\n");
            scenario.Recapture();
            return scenario;
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
    }

    private static Task<CliResult> VerifyWithDebugShellAsync(AttackScenario scenario, IReadOnlyDictionary<string, string?> environment, string input) =>
        CliRunner.RunWithInputAsync(environment, input, "verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--fallback", "debug-shell");

    private static int CountOf(string text, string part) => Regex.Count(text, Regex.Escape(part));
}
