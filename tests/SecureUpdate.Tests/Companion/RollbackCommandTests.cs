using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// <c>rollback</c>: back to the newest installed version below current that verifies; the version left is rejected and
/// an event records it; when none verifies, exit 7 and nothing switches.
/// </summary>
public sealed class RollbackCommandTests
{
    [Fact]
    public async Task Rollback_AfterUpdate_SwitchesToPreviousRecordsEventAndApplyKeepsIt()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        var eventsBefore = scenario.EventNames().Count;

        var result = await scenario.RollbackAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("rolled-back", result.Describe());
        result.JsonString("version").Should().Be(ReleaseInputs.V1);
        result.JsonString("previousVersion").Should().Be(ReleaseInputs.V2);
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        scenario.EventNames().Skip(eventsBefore).Should().Contain("rolled-back");
        (await scenario.VerifyAsync()).ShouldExitWith(0);

        var apply = await scenario.ApplyAsync();
        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        apply.JsonString("outcome").Should().Be("current", "the version rolled back from is not installed again automatically\n{0}", apply.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);

        var swap = await scenario.SwapAsync();
        swap.ShouldExitWith(0);
        swap.JsonString("outcome").Should().Be("current", "nor swapped in again\n{0}", swap.Describe());
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
    }

    [Theory]
    [InlineData("changed-file")]
    [InlineData("extra-file")]
    [InlineData("manifest-removed")]
    public async Task Rollback_PreviousVersionTampered_Exit7AndCurrentUnchanged(string tampering)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        var previous = Path.Combine(scenario.Target, "versions", ReleaseInputs.V1);
        switch (tampering)
        {
            case "changed-file":
                File.WriteAllBytes(Path.Combine(previous, ReleaseInputs.Readme), Encoding.UTF8.GetBytes("not the signed README\n"));
                break;
            case "extra-file":
                File.WriteAllBytes(Path.Combine(previous, "bin", "implant"), Encoding.UTF8.GetBytes("#!/bin/sh\necho owned\n"));
                break;
            case "manifest-removed":
                File.Delete(Path.Combine(scenario.Target, ".secure-update", "manifests", ReleaseInputs.V1 + ".json.sig"));
                break;
        }

        scenario.Recapture();

        var result = await scenario.RollbackAsync();

        scenario.ShouldBeRefused(result, 7, "not_installed", ReleaseInputs.V2);
        scenario.EventNames().Should().Contain("rollback-failed");
    }

    [Fact]
    public async Task Rollback_OnlyOneVersionInstalled_Exit7AndTargetUnchanged()
    {
        await using var scenario = await CompanionScenario.CreateAsync();

        var result = await scenario.RollbackAsync();

        scenario.ShouldBeRefused(result, 7, "not_installed");
    }

    [Fact]
    public async Task Rollback_StagedVersionAboveCurrent_NeverSwitchesToIt()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        scenario.Recapture();

        var result = await scenario.RollbackAsync();

        scenario.ShouldBeRefused(result, 7, "not_installed");
    }
}
