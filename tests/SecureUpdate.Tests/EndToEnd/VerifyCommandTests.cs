using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>secure-update verify</c> on a real installed target: 0 intact; on any difference the hard-reset
/// fallback switches back to the newest installed version that verifies (exit 3), or, when none
/// does, says the target needs a reinstall (exit 7); 7 too when nothing is installed.
/// </summary>
public sealed class VerifyCommandTests
{
    public static TheoryData<string> Tampering => new()
    {
        "content changed",
        "content appended",
        "file removed",
        "file added",
        "file replaced by symlink",
        "installed manifest edited",
    };

    [Fact]
    public async Task Verify_IntactInstall_ExitsZero()
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        scenario.ShouldBeUntouched();
    }

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Verify_OnlyInstalledVersionTampered_ExitsSevenReinstallNeeded(string tampering)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var installed = Path.Combine(scenario.Target, "versions", ReleaseInputs.V1);
        var readme = Path.Combine(installed, ReleaseInputs.Readme);
        switch (tampering)
        {
            case "content changed":
                var bytes = File.ReadAllBytes(readme);
                bytes[0] ^= 0x20;
                File.WriteAllBytes(readme, bytes);
                break;
            case "content appended":
                File.AppendAllText(readme, "\n");
                break;
            case "file removed":
                File.Delete(Path.Combine(installed, ReleaseInputs.Library));
                break;
            case "file added":
                File.WriteAllText(Path.Combine(installed, "bin", "implant"), "#!/bin/sh\n");
                break;
            case "file replaced by symlink":
                File.Delete(readme);
                File.CreateSymbolicLink(readme, "/etc/hostname");
                break;
            case "installed manifest edited":
                var manifest = Path.Combine(scenario.Target, ".secure-update", "manifests", ReleaseInputs.V1 + ".json");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(manifest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                File.AppendAllText(manifest, " ");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }

        var result = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--json");

        result.ShouldExitWith(7).ShouldReportFailureClearly();
        result.JsonString("error_code").Should().Be("not_installed");
        File.ReadAllText(Path.Combine(scenario.Target, ".secure-update", "events.log")).Should().Contain("\"reinstall-needed\"");
    }

    [Fact]
    public async Task Verify_CurrentTamperedPreviousIntact_SwitchesBackAndExitsThree()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        var current = Path.Combine(scenario.Target, "versions", ReleaseInputs.V2, ReleaseInputs.Readme);
        File.AppendAllText(current, "tampered");

        var result = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--json");
        var after = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile);

        result.ShouldExitWith(3).ShouldReportFailureClearly();
        result.JsonString("error_code").Should().Be("hash_mismatch");
        new FileInfo(Path.Combine(scenario.Target, "current")).LinkTarget.Should().Be("versions/" + ReleaseInputs.V1);
        after.ShouldExitWith(0);
        var log = File.ReadAllText(Path.Combine(scenario.Target, ".secure-update", "events.log"));
        log.Should().Contain("\"verify-failed\"").And.Contain("\"reset\"").And.Contain("\"fallback_mode\":\"hard_reset\"");
    }

    [Fact]
    public async Task Verify_UnrelatedTrust_IsRefusedAsTrustMismatchAndSwitchesNothing()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var stranger = ForgedKey.Create();
        var strangerFile = scenario.Temp.Combine("stranger.pub");
        stranger.WritePublicKeyFile(strangerFile);

        var result = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", strangerFile);

        result.ShouldExitWith(3).ShouldReportFailureClearly();
        result.Stderr.Should().Contain("--replace-trust", "the command says how to re-provision on purpose");
        scenario.ShouldBeUntouched();
    }

    [Fact]
    public async Task Verify_NothingInstalled_ExitsSeven()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();

        var result = await CliRunner.RunAsync("verify", "--target", temp.CreateFolder("empty"), "--trust", template.TrustFile);

        result.ShouldExitWith(7).ShouldReportFailureClearly();
    }
}
