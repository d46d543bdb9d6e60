using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Releases with the shapes real software has (empty files, one content at several paths, deep, spaced and
/// non-ASCII names) and updates where reuse of installed files could go wrong.
/// </summary>
public sealed class ReleaseShapeTests
{
    private static readonly IReadOnlyList<ForgedFile> s_oddFiles =
    [
        new("empty.txt", []),
        new("dup/a.txt", Encoding.UTF8.GetBytes("same content\n")),
        new("dup/b.txt", Encoding.UTF8.GetBytes("same content\n")),
        new("with space/file name.txt", Encoding.UTF8.GetBytes("spaces\n")),
        new("名前/ファイル-é.txt", Encoding.UTF8.GetBytes("unicode\n")),
        new("deep/a/b/c/d/e/f/g/h.sh", Encoding.UTF8.GetBytes("#!/bin/sh\n"), executable: true),
        new(".hidden", Encoding.UTF8.GetBytes("dot file\n")),
    ];

    [Fact]
    public async Task Apply_ReleaseWithEmptyDuplicateSpacedAndUnicodeFiles_InstallsExactly()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, s_oddFiles);
        var feed = temp.Combine("feed");
        (await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", "3.0.0", "--input", input, "--key", template.KeyFile))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        await using var server = await FeedServer.StartAsync(feed);
        var target = temp.Combine("target");

        var result = await CliRunner.RunAsync(
            "apply", "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.CurrentVersion(target).Should().Be("3.0.0");
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", "3.0.0"), s_oddFiles);
        (await CliRunner.RunAsync("verify", "--target", target, "--trust", template.TrustFile)).ShouldExitWith(0);
    }

    [Fact]
    public async Task Apply_ReusedFileTamperedInInstalledVersion_NewVersionStillHoldsTheSignedBytes()
    {
        // The unchanged file is reused from 1.0.0, but someone edited it there: the reuse must be verified, not trusted.
        await using var scenario = await AttackScenario.CreateAsync();
        var installedCopy = Path.Combine(scenario.Target, "versions", ReleaseInputs.V1, ReleaseInputs.Unchanged);
        var bytes = File.ReadAllBytes(installedCopy);
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(installedCopy, bytes);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task Apply_UnchangedContentWithChangedExecutableBit_EachVersionKeepsItsOwnMode()
    {
        // Same bytes, new mode: a reused (perhaps hard-linked) file must not change the previous version's mode.
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var unchanged = ReleaseInputs.File(ReleaseInputs.V2, ReleaseInputs.Unchanged);
        IReadOnlyList<ForgedFile> files =
        [
            .. ReleaseInputs.Version2.Where(file => file.Path != ReleaseInputs.Unchanged),
            new ForgedFile(unchanged.Path, unchanged.Content, executable: true),
        ];
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, files, null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2), files);
        TargetAssert.ShouldHoldExactly(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1), ReleaseInputs.Version1);
    }
}
