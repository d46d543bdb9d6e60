using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// <c>apply --stage-only</c> then <c>swap</c>: staging never touches <c>current</c>, and the swap re-verifies the staged
/// version against its signed manifest right before switching (threat: tampering with staged files, check-then-use).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class StageOnlyAndSwapTests
{
    [Fact]
    public async Task ApplyStageOnly_NewerRelease_KeepsCurrentAndStagesCompleteVersion()
    {
        await using var scenario = await CompanionScenario.CreateAsync();

        var result = await scenario.ApplyAsync("--stage-only");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("staged", result.Describe());
        result.JsonString("version").Should().Be(ReleaseInputs.V2);
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        TargetAssert.ShouldHoldExactly(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2), ReleaseInputs.Version2);
        File.Exists(Path.Combine(scenario.Target, ".secure-update", "manifests", ReleaseInputs.V2 + ".json")).Should().BeTrue("the staged version keeps its signed manifest for the swap");
        Directory.Exists(Path.Combine(scenario.Target, ".secure-update", "staging")).Should().BeFalse("staging is emptied after each run");
        scenario.EventNames().Should().Contain("staged");
    }

    [Fact]
    public async Task Swap_AfterStageOnly_SwitchesToStagedVersion()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();

        var result = await scenario.SwapAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("swapped", result.Describe());
        result.JsonString("version").Should().Be(ReleaseInputs.V2);
        result.JsonString("previousVersion").Should().Be(ReleaseInputs.V1);
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1), ReleaseInputs.Version1);
        (await scenario.VerifyAsync()).ShouldExitWith(0);
        (await scenario.ApplyAsync()).JsonString("outcome").Should().Be("current", "the swapped version is the channel's newest");
    }

    [Fact]
    public async Task Swap_NothingStaged_ExitsZeroWithOutcomeCurrent()
    {
        await using var scenario = await CompanionScenario.CreateAsync();

        var result = await scenario.SwapAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("current", result.Describe());
        scenario.Attack.ShouldBeUntouched();
    }

    [Theory]
    [InlineData("changed-file")]
    [InlineData("truncated-file")]
    [InlineData("extra-file")]
    [InlineData("removed-file")]
    [InlineData("executable-bit")]
    [InlineData("file-replaced-by-symlink")]
    public async Task Swap_StagedVersionTamperedAfterStaging_RefusedWithExit3AndNothingSwitched(string tampering)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var staged = Path.Combine(scenario.Target, "versions", ReleaseInputs.V2);
        switch (tampering)
        {
            case "changed-file":
                File.WriteAllBytes(Path.Combine(staged, ReleaseInputs.Binary), Encoding.UTF8.GetBytes("#!/bin/sh\necho owned\n"));
                break;
            case "truncated-file":
                using (var stream = new FileStream(Path.Combine(staged, ReleaseInputs.Library), FileMode.Open))
                {
                    stream.SetLength(stream.Length - 1);
                }

                break;
            case "extra-file":
                File.WriteAllBytes(Path.Combine(staged, "bin", "implant"), Encoding.UTF8.GetBytes("#!/bin/sh\necho owned\n"));
                break;
            case "removed-file":
                File.Delete(Path.Combine(staged, ReleaseInputs.Added));
                break;
            case "executable-bit":
                File.SetUnixFileMode(Path.Combine(staged, ReleaseInputs.Readme), ReleaseInputs.ExecutableMode);
                break;
            case "file-replaced-by-symlink":
                var outside = scenario.Temp.Combine("outside-readme");
                File.WriteAllBytes(outside, ReleaseInputs.File(ReleaseInputs.V2, ReleaseInputs.Readme).Content);
                File.Delete(Path.Combine(staged, ReleaseInputs.Readme));
                File.CreateSymbolicLink(Path.Combine(staged, ReleaseInputs.Readme), outside);
                break;
        }

        scenario.Recapture();

        var result = await scenario.SwapAsync();

        scenario.ShouldBeRefused(result, 3, "hash_mismatch");
    }

    [Fact]
    public async Task Swap_StagedManifestTamperedAfterStaging_RefusedWithExit3()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var manifest = Path.Combine(scenario.Target, ".secure-update", "manifests", ReleaseInputs.V2 + ".json");
        File.SetUnixFileMode(manifest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var text = File.ReadAllText(manifest);
        File.WriteAllText(manifest, text.Replace("\"1.1.0\"", "\"1.1.0\" ", StringComparison.Ordinal));
        scenario.Recapture();

        var result = await scenario.SwapAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Swap_TrustOfAnotherKey_IsRefusedAsNotTheTargetsTrustWithExit3()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        using var otherKey = ForgedKey.Create();
        var otherTrust = scenario.Temp.Combine("other.pub");
        otherKey.WritePublicKeyFile(otherTrust);
        scenario.Recapture();

        var result = await scenario.SwapAsync("--trust", otherTrust);

        scenario.ShouldBeRefused(result, 3, "trust_mismatch");
    }
}
