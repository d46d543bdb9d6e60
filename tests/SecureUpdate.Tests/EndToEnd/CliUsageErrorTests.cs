using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>Bad command lines and bad configuration: exit 2, one clear stderr line, no stack trace, target unchanged.</summary>
public sealed class CliUsageErrorTests
{
    public static TheoryData<string> BadDurations => new() { "5x", "10", "0s", "-5s", "1.5h", "s", "10 m", "99999999999999999999d" };

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
    public async Task Apply_FirstInstallWithoutApp_ExitsUsageError()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("target");

        var result = await CliRunner.RunAsync("apply", "--feed", template.Feed(ReleaseInputs.V1), "--trust", template.TrustFile, "--target", target);

        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        result.StderrLines.Should().ContainSingle("a usage error is one clear line\n{0}", result.Describe());
        TargetAssert.ShouldHaveNoInstall(target);
    }

    [Fact]
    public async Task Apply_TrustFileWithSmallOrderKey_ExitsConfigurationError()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var identity = new byte[32];
        identity[0] = 1; // The encoding of the identity point: order 1.
        var trust = scenario.Temp.Combine("weak.json");
        File.WriteAllText(trust, FeedForger.ToJson(new
        {
            schema = "secure-update/trust/v1",
            threshold = 1,
            keys = new[] { new { keyId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(identity)), publicKey = Convert.ToBase64String(identity) } },
        }));

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Server.Url, "--trust", trust, "--target", scenario.Target);

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Apply_PublicKeyFileWithWrongKeyId_ExitsConfigurationError()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var trust = scenario.Temp.Combine("wrong-id.pub");
        File.WriteAllText(trust, FeedForger.ToJson(new
        {
            schema = "secure-update/public-key/v1",
            algorithm = "ed25519",
            keyId = new string('a', 64),
            publicKey = scenario.Template.ReleaseKey.PublicKeyBase64,
        }));

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Server.Url, "--trust", trust, "--target", scenario.Target);

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Apply_TrustFileThresholdAboveKeyCount_ExitsConfigurationError()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var trust = scenario.Temp.Combine("threshold.json");
        FeedForger.WriteTrustFile(trust, 2, scenario.Template.ReleaseKey);

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Server.Url, "--trust", trust, "--target", scenario.Target);

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Apply_TrustFileListingOneKeyTwice_ExitsConfigurationError()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var trust = scenario.Temp.Combine("twice.json");
        FeedForger.WriteTrustFile(trust, 2, scenario.Template.ReleaseKey, scenario.Template.ReleaseKey);

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Server.Url, "--trust", trust, "--target", scenario.Target);

        ShouldBeUsageError(result, scenario);
    }

    [Fact]
    public async Task Apply_TrustFileNotJson_ExitsConfigurationError()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var trust = scenario.Temp.Combine("garbage.pub");
        File.WriteAllBytes(trust, Encoding.UTF8.GetBytes("not a key\n"));

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

    private static void ShouldBeUsageError(CliResult result, AttackScenario scenario)
    {
        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        result.StderrLines.Should().ContainSingle("a usage or configuration error is one clear line\n{0}", result.Describe());
        scenario.ShouldBeUntouched();
    }
}
