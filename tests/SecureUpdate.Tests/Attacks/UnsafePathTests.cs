using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Manifests crafted and properly signed in the test that name paths which would leave the version folder
/// or collide: refused as unsafe_path (exit 3), nothing written inside or outside the target.
/// </summary>
public sealed class UnsafePathTests
{
    /// <summary>Replaced at run time by an absolute path inside the test's temp folder (never outside it).</summary>
    private const string AbsoluteMarker = "{absolute}";

    public static TheoryData<string> UnsafePaths => new()
    {
        "../escape.txt",
        "../../../escape.txt",
        "../../../../../../escape.txt",
        "bin/../../../../escape.txt",
        AbsoluteMarker,
        "bin\\..\\..\\..\\..\\escape.txt",
        "./escape.txt",
        "bin/./escape.txt",
        "bin//escape.txt",
        "bin/",
        "",
        "CON",
        "lpt1.txt",
        "escape.txt.",
        "escape.txt ",
        "C:escape.txt",
        "bin/\u0001escape.txt",
    };

    [Theory]
    [MemberData(nameof(UnsafePaths))]
    public async Task Apply_ManifestWithUnsafePath_IsRefusedAndNothingWrittenAnywhere(string unsafePath)
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var path = unsafePath == AbsoluteMarker ? scenario.Temp.Combine("escape-absolute.txt") : unsafePath;
        PublishWithExtraFiles(scenario, new ForgedFile(path, Encoding.UTF8.GetBytes("escaped\n"), executable: true));

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "unsafe_path");
        ShouldHaveWrittenNothingOutsideTheTarget(scenario);
    }

    [Fact]
    public async Task Apply_ManifestWithCaseCollidingPaths_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        PublishWithExtraFiles(
            scenario,
            new ForgedFile("a.txt", Encoding.UTF8.GetBytes("lower\n")),
            new ForgedFile("A.txt", Encoding.UTF8.GetBytes("upper\n")));

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "unsafe_path");
    }

    [Fact]
    public async Task Apply_ManifestWithSamePathTwice_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        PublishWithExtraFiles(scenario, new ForgedFile(ReleaseInputs.Readme, Encoding.UTF8.GetBytes("second README\n")));

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Fact]
    public async Task Apply_ManifestWithFileThatIsAlsoAFolder_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        PublishWithExtraFiles(scenario, new ForgedFile("docs", Encoding.UTF8.GetBytes("a file where docs/ is a folder\n")));

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "unsafe_path");
    }

    private static void PublishWithExtraFiles(AttackScenario scenario, params ForgedFile[] extra) =>
        scenario.Forger.Publish(
            ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, [.. ReleaseInputs.Version2, .. extra], null, scenario.Template.ReleaseKey);

    private static void ShouldHaveWrittenNothingOutsideTheTarget(AttackScenario scenario)
    {
        var escaped = Directory.EnumerateFiles(scenario.Temp.Path, "*escape*", SearchOption.AllDirectories)
            .Where(path => !path.StartsWith(scenario.Feed + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        escaped.Should().BeEmpty("a refused path must not be written anywhere");
        File.Exists(Path.Combine(Path.GetTempPath(), "secure-update-tests", "escape.txt")).Should().BeFalse();
        File.Exists(Path.Combine(Path.GetTempPath(), "escape.txt")).Should().BeFalse();
    }
}
