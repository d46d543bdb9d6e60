using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// The disk fills up while a new version is staged: apply exits 5 (install failed and undone), the target is exactly as
/// it was and no staging is left behind. The target lives on a real 512 KiB tmpfs.
/// </summary>
public sealed class DiskFullTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Apply_DiskFullWhileStaging_Exit5TargetUnchangedNoStagingLeft(bool stageOnly)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        using var disk = TestMount.Tmpfs(temp.Combine("disk"), "512k");
        var feed = temp.Combine("feed");
        var target = Path.Combine(disk.Path, "target");

        var small = temp.CreateFolder("input-small");
        ReleaseInputs.WriteFolder(small, [new ForgedFile("bin/app", Encoding.UTF8.GetBytes("#!/bin/sh\necho small\n"), executable: true), new ForgedFile("README.txt", Encoding.UTF8.GetBytes("small\n"))]);
        var large = temp.CreateFolder("input-large");
        var big = new byte[1024 * 1024];
#pragma warning disable CA5394 // Test data, incompressible on purpose.
        new Random(7).NextBytes(big);
#pragma warning restore CA5394
        ReleaseInputs.WriteFolder(large, [new ForgedFile("bin/app", Encoding.UTF8.GetBytes("#!/bin/sh\necho large\n"), executable: true), new ForgedFile("data/big.bin", big)]);

        (await Release(feed, "1.0.0", small, template)).ShouldExitWith(0);
        (await CliRunner.RunAsync("apply", "--feed", feed, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json")).ShouldExitWith(0);
        (await Release(feed, "2.0.0", large, template)).ShouldExitWith(0);
        var before = TargetSnapshot.Capture(target);

        string[] arguments = ["apply", "--feed", feed, "--trust", template.TrustFile, "--target", target, "--json"];
        var result = await CliRunner.RunAsync(stageOnly ? [.. arguments, "--stage-only"] : arguments);

        result.ShouldExitWith(5).ShouldReportFailureClearly().ShouldHaveErrorCode("install_failed");
        before.ShouldBeUnchanged("a full disk while staging is undone");
        TargetAssert.CurrentVersion(target).Should().Be("1.0.0");
        Directory.Exists(Path.Combine(target, ".secure-update", "staging")).Should().BeFalse("no staging is left behind");
        Directory.EnumerateFileSystemEntries(disk.Path).Select(Path.GetFileName).Should().Equal(["target"], "nothing is written beside the target");
        (await CliRunner.RunAsync("verify", "--target", target, "--trust", template.TrustFile, "--json")).ShouldExitWith(0);
        (await CliRunner.RunAsync("swap", "--target", target, "--json")).JsonString("outcome").Should().Be("current", "nothing half-staged can be swapped in");
    }

    private static Task<CliResult> Release(string feed, string version, string input, ReleaseTemplate template) =>
        CliRunner.RunAsync("release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version, "--input", input, "--key", template.KeyFile, "--json");
}
