using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>--fallback</c> and <c>--allowlist</c> on <c>apply</c> and <c>verify</c>: combinations that cannot work are
/// usage errors (exit 2) with one clear stderr line naming the flag, found before anything is fetched or touched.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FallbackOptionTests
{
    public static TheoryData<string, string> UsageErrors()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "apply", "verify" })
        {
            foreach (var error in new[] { "unknown mode", "mode none", "mode in capitals", "hash-allowlist without --allowlist", "--allowlist with the default", "--allowlist with debug-shell", "debug-shell with --json" })
            {
                data.Add(command, error);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Fallback_ImpossibleCombination_ExitsUsageErrorNamingTheFlag(string command, string error)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        DebugSwitch.Allow(scenario.Target);
        scenario.Recapture();
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), AllowlistFile.ManifestSha256(scenario.Feed, ReleaseInputs.V2), AllowlistFile.FarFuture);
        var (extra, named) = error switch
        {
            "unknown mode" => (new[] { "--fallback", "shell" }, "--fallback"),
            "mode none" => (["--fallback", "none"], "--fallback"),
            "mode in capitals" => (["--fallback", "HARD-RESET"], "--fallback"),
            "hash-allowlist without --allowlist" => (["--fallback", "hash-allowlist"], "--allowlist"),
            "--allowlist with the default" => (["--allowlist", allowlist], "--allowlist"),
            "--allowlist with debug-shell" => (["--fallback", "debug-shell", "--allowlist", allowlist], "--allowlist"),
            "debug-shell with --json" => (["--fallback", "debug-shell", "--json"], "--json"),
            _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
        };
        string[] arguments = command == "apply"
            ? ["apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, .. extra]
            : ["verify", "--trust", scenario.TrustFile, "--target", scenario.Target, .. extra];

        var result = await CliRunner.RunWithInputAsync(DebugSwitch.On, "status\nrollback\n", arguments);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.StderrLines[0].Should().StartWith($"secure-update {command}: ").And.Contain(named, "the message names the flag to fix\n{0}", result.Describe());
        result.Stdout.Should().NotContain("secure-update debug>", "a usage error never opens the prompt, even where debug-shell is permitted");
        if (extra.Contains("--json"))
        {
            result.ShouldHaveErrorCode("usage");
        }

        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for an invalid command line");
        scenario.ShouldBeUntouched();
    }

    [Fact]
    public async Task Fallback_HardResetNamedExplicitly_IsAccepted()
    {
        // The control for the cases above: the default mode named explicitly is accepted on both commands.
        await using var scenario = await AttackScenario.CreateAsync();

        var verify = await CliRunner.RunAsync("verify", "--trust", scenario.TrustFile, "--target", scenario.Target, "--fallback", "hard-reset");
        var apply = await scenario.ApplyAsync("--fallback", "hard-reset");

        verify.ShouldExitWith(0).ShouldHaveNoStackTrace();
        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }
}
