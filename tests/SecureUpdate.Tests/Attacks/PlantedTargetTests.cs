using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Leftovers planted in the target where the new version will go (by a crash of an older tool, or by a local
/// attacker): the update must never write through them or install them.
/// </summary>
public sealed class PlantedTargetTests
{
    [Fact]
    public async Task Apply_NewVersionFolderIsSymlinkOutsideTarget_NeverWritesThroughIt()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var outside = scenario.Temp.CreateFolder("outside");
        File.CreateSymbolicLink(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2), outside);
        scenario.Recapture();

        var result = await scenario.ApplyAsync();

        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty("nothing may be written through a symlink out of the target\n{0}", result.Describe());
        if (result.ExitCode == 0)
        {
            TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
            new DirectoryInfo(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2)).LinkTarget.Should().BeNull("the installed version is a real folder");
        }
        else
        {
            result.ExitCode.Should().BeOneOf([3, 5], "a refused or rolled-back install\n{0}", result.Describe());
            result.ShouldReportFailureClearly();
            scenario.ShouldBeUntouched();
        }
    }

    [Fact]
    public async Task Apply_NewVersionFolderHoldsLeftoverFiles_InstallsExactlyTheSignedFilesOrRollsBack()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var leftover = Path.Combine(scenario.Target, "versions", ReleaseInputs.V2);
        Directory.CreateDirectory(Path.Combine(leftover, "bin"));
        File.WriteAllBytes(Path.Combine(leftover, "bin", "implant"), Encoding.UTF8.GetBytes("#!/bin/sh\necho owned\n"));
        File.WriteAllBytes(Path.Combine(leftover, ReleaseInputs.Readme), Encoding.UTF8.GetBytes("not the signed README\n"));
        scenario.Recapture();

        var result = await scenario.ApplyAsync();

        if (result.ExitCode == 0)
        {
            TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        }
        else
        {
            result.ExitCode.Should().BeOneOf([3, 5], "a refused or rolled-back install\n{0}", result.Describe());
            result.ShouldReportFailureClearly();
            scenario.ShouldBeUntouched();
        }
    }
}
