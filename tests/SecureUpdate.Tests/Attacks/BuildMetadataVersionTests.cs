using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Versions that differ only in build metadata have equal SemVer precedence: another build of the installed version is
/// not newer, and a rebuild of a rejected version is rejected too.
/// </summary>
public sealed class BuildMetadataVersionTests
{
    [Fact]
    public async Task Apply_AnotherBuildOfTheInstalledVersion_IsNotInstalled()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.1.0+a", ReleaseInputs.Version2, null, scenario.Template.ReleaseKey);
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        TargetAssert.CurrentVersion(scenario.Target).Should().Be("1.1.0+a");
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.1.0+b", ReleaseInputs.Version1, null, scenario.Template.ReleaseKey);
        scenario.Recapture();

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0);
        result.JsonString("outcome").Should().Be("current", "1.1.0+b has the precedence of the installed 1.1.0+a\n{0}", result.Describe());
        scenario.ShouldBeUntouched("1.1.0+a");
    }

    [Fact]
    public async Task Apply_RebuildOfARolledBackVersion_IsNotInstalledAgain()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.2.0", ReleaseInputs.Version2, null, scenario.Template.ReleaseKey);
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        (await CliRunner.RunAsync("rollback", "--target", scenario.Target, "--json")).ShouldExitWith(0);
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.2.0+rebuild", ReleaseInputs.Version2, null, scenario.Template.ReleaseKey);
        scenario.Recapture();

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0);
        result.JsonString("outcome").Should().Be("current", "a rebuild of the rejected 1.2.0 is rejected too\n{0}", result.Describe());
        scenario.ShouldBeUntouched();
    }
}
