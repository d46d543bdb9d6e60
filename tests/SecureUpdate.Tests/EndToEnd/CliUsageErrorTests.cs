using System.Security.Cryptography;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>Bad command lines and bad configuration: exit 2, one clear stderr line, no stack trace, target unchanged.</summary>
public sealed class CliUsageErrorTests
{
    public static TheoryData<string> BadDurations => new() { "5x", "10", "0s", "-5s", "1.5h", "s", "10 m", "99999999999999999999d" };

    public static TheoryData<string> UnusableTrustFiles => new()
    {
        "trust file pinning a small-order key",
        "public key file with the wrong key id",
        "trust file threshold above its key count",
        "trust file listing one key twice",
        "trust file that is not JSON",
        "trust file whose schema is not UTF-8",
    };

    [Fact]
    public async Task Apply_UnknownFlag_ExitsUsageError()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await RunApplyAsync(scenario, "--no-such-flag");

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Apply_MissingRequiredTarget_ExitsUsageError()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile);

        ShouldBeUsageError(result, scenario);
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for an invalid command line");
    }

    [Fact]
    public async Task Apply_MissingTrustFile_ExitsUsageError()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await CliRunner.RunAsync(
            "apply", "--feed", scenario.Server.Url, "--trust", scenario.Temp.Combine("missing.pub"), "--target", scenario.Target);

        ShouldBeUsageError(result, scenario);
    }

    [Theory]
    [MemberData(nameof(BadDurations))]
    public async Task Apply_BadTimeoutDuration_ExitsUsageError(string duration)
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await RunApplyAsync(scenario, "--timeout", duration);

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Apply_PlainHttpToNonLoopbackHost_IsRefusedBeforeAnyConnection()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await CliRunner.RunAsync(
            "apply", "--feed", "http://example.invalid/feed", "--trust", scenario.TrustFile, "--target", scenario.Target, "--timeout", "5s");

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Apply_PlainHttpToNonLoopbackHostWithAllowHttp_TriesTheNetwork()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        // Contrast with the test above: with --allow-http the same URL passes the policy and fails only in transport.
        var result = await CliRunner.RunAsync(
            "apply", "--feed", "http://example.invalid/feed", "--trust", scenario.TrustFile, "--target", scenario.Target,
            "--timeout", "5s", "--allow-http");

        result.ShouldExitWith(4).ShouldReportFailureClearly();
        scenario.ShouldBeUntouched();
    }

    [Fact]
    public async Task Apply_FirstInstallWithoutApp_ExitsUsageErrorWithTheFlagToPass()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("target");

        var result = await CliRunner.RunAsync("apply", "--feed", template.Feed(ReleaseInputs.V1), "--trust", template.TrustFile, "--target", target);

        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        result.StderrLines.Should().ContainSingle("a usage error is one clear line\n{0}", result.Describe());
        result.Stderr.Should().Contain("Pass --app ID.", "the command adds the flag for the setting the library names");
        TargetAssert.ShouldHaveNoInstall(target);
    }

    [Theory]
    [MemberData(nameof(UnusableTrustFiles))]
    public async Task Apply_UnusableTrustFile_ExitsConfigurationError(string defect)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var release = (scenario.Template.ReleaseKey.KeyId, scenario.Template.ReleaseKey.PublicKeyBase64);
        var (name, contents) = defect switch
        {
            "trust file pinning a small-order key" => ("weak.json", IdentityPointTrustFile()),
            "public key file with the wrong key id" => ("wrong-id.pub", TrustFileJson.PublicKeyFile(new string('a', 64), release.PublicKeyBase64)),
            "trust file threshold above its key count" => ("threshold.json", TrustFileJson.Build(2, [release])),
            "trust file listing one key twice" => ("twice.json", TrustFileJson.Build(2, [release, release])),
            "trust file that is not JSON" => ("garbage.pub", Encoding.UTF8.GetBytes("not a key\n")),
            "trust file whose schema is not UTF-8" => ("latin1.json", [.. "{\"schema\": \""u8, 0xff, 0xfe, .. "\"}"u8]),
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
        };
        var trust = scenario.Temp.Combine(name);
        File.WriteAllBytes(trust, contents);

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Server.Url, "--trust", trust, "--target", scenario.Target);

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Release_MissingKey_ExitsUsageError()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();

        var result = await CliRunner.RunAsync(
            "release", "--feed", temp.Combine("feed"), "--app", ReleaseInputs.App, "--version", "1.0.0", "--input", template.InputFolder(ReleaseInputs.V1));

        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        result.StderrLines.Should().ContainSingle("a usage error is one clear line\n{0}", result.Describe());
        Directory.Exists(temp.Combine("feed")).Should().BeFalse("nothing is written for an invalid command line");
    }

    [Fact]
    public async Task Version_Flag_PrintsVersionAndExitsZero()
    {
        var result = await CliRunner.RunAsync("--version");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.Stdout.Trim().Should().NotBeEmpty();
    }

    private static Task<CliResult> RunApplyAsync(AttackScenario scenario, params string[] extra) =>
        CliRunner.RunAsync(["apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, .. extra]);

    /// <summary>A 1-of-1 trust file pinning the encoding of the identity point (order 1) as a key.</summary>
    private static byte[] IdentityPointTrustFile()
    {
        var identity = new byte[32];
        identity[0] = 1;
        return TrustFileJson.Build(1, [(Convert.ToHexStringLower(SHA256.HashData(identity)), Convert.ToBase64String(identity))]);
    }

    private static void ShouldBeUsageError(CliResult result, AttackScenario scenario)
    {
        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        result.StderrLines.Should().ContainSingle("a usage or configuration error is one clear line\n{0}", result.Describe());
        scenario.ShouldBeUntouched();
    }
}
