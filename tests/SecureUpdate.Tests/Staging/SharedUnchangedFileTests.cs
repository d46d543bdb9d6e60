using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

/// <summary>
/// On a file system that cannot clone (this machine's ext4), an update hard-links the files it shares with the
/// installed version, so it writes only what changed; each is hashed against the signed digest first. Only a copy
/// that this user alone can change and that already has the release's mode is linked; anything else is copied
/// (<c>--no-hard-links</c> copies all of them), and a copy written to while it is hashed is not shared. Process-level,
/// over real loopback HTTP, on the real disk.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SharedUnchangedFileTests
{
    private const string App = "bin/app";
    private const string Data = "data/large.bin";
    private const string Notes = "notes.txt";
    private const string Tool = "bin/tool";
    private const string Loose = "data/loose.bin";
    private const string Foreign = "data/foreign.bin";

    private static readonly ForgedFile[] s_version1 =
    [
        new(App, Encoding.UTF8.GetBytes("#!/bin/sh\necho 1.0.0\n"), executable: true),
        new(Data, ReleaseInputs.Bytes(seed: 21, length: 400_000)),
        new(Notes, Encoding.UTF8.GetBytes("the same in both versions\n")),
        new(Tool, Encoding.UTF8.GetBytes("#!/bin/sh\necho tool\n")),
        new(Loose, ReleaseInputs.Bytes(seed: 22, length: 20_000)),
        new(Foreign, ReleaseInputs.Bytes(seed: 23, length: 20_000)),
    ];

    // 1.1.0 changes the app and makes the tool executable; everything else is unchanged.
    private static readonly ForgedFile[] s_version2 =
    [
        new(App, Encoding.UTF8.GetBytes("#!/bin/sh\necho 1.1.0\n"), executable: true),
        .. s_version1.Where(file => file.Path is not App and not Tool),
        new(Tool, Encoding.UTF8.GetBytes("#!/bin/sh\necho tool\n"), executable: true),
    ];

    [Fact]
    public async Task Apply_UnchangedFilesOnExt4_AreHardLinksOfTheInstalledCopiesAndTheUpdateVerifies()
    {
        using var temp = new TempFolder();
        var (target, template) = await InstallBothAsync(temp);

        var update = await ApplyAsync(target, template);

        update.Json().GetProperty("filesReused").GetInt32().Should().Be(5, update.Describe());
        update.Json().GetProperty("filesDownloaded").GetInt32().Should().Be(1, "only the changed app is fetched: {0}", update.Describe());
        foreach (var path in new[] { Data, Notes, Loose, Foreign })
        {
            var (old, current) = (HostCommand.Stat(InVersion(target, ReleaseInputs.V1, path)), HostCommand.Stat(InVersion(target, ReleaseInputs.V2, path)));
            current.Inode.Should().Be(old.Inode, "{0} is unchanged, so the new version links the installed copy", path);
            current.Links.Should().Be(2, "{0} is in both versions", path);
            current.Mode.Should().Be("644");
        }

        HostCommand.Stat(InVersion(target, ReleaseInputs.V2, App)).Links.Should().Be(1, "the changed app is a file of its own");
        await ShouldBeExactlyVersion2Async(target, template);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V1), s_version1);
    }

    [Fact]
    public async Task Apply_WithNoHardLinks_CopiesEveryUnchangedFile()
    {
        using var temp = new TempFolder();
        var (target, template) = await InstallBothAsync(temp);

        var update = await ApplyAsync(target, template, "--no-hard-links");

        update.Json().GetProperty("filesReused").GetInt32().Should().Be(5, "still reused, from the installed copies rather than the feed: {0}", update.Describe());
        foreach (var path in s_version2.Select(file => file.Path))
        {
            HostCommand.Stat(InVersion(target, ReleaseInputs.V2, path)).Links.Should().Be(1, "--no-hard-links keeps each version's {0} apart", path);
            HostCommand.Stat(InVersion(target, ReleaseInputs.V1, path)).Links.Should().Be(1);
        }

        await ShouldBeExactlyVersion2Async(target, template);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V1), s_version1);
    }

    [Fact]
    public async Task Apply_InstalledCopiesOfAnotherModeWritableByOthersOrOwnedByAnotherUser_AreCopiedNotLinked()
    {
        using var temp = new TempFolder();
        var (target, template) = await InstallBothAsync(temp);
        File.SetUnixFileMode(InVersion(target, ReleaseInputs.V1, Loose), ReleaseInputs.RegularMode | UnixFileMode.GroupWrite);
        HostCommand.Run("chown", "65534", InVersion(target, ReleaseInputs.V1, Foreign)).ExitCode.Should().Be(0);

        var update = await ApplyAsync(target, template);

        update.Json().GetProperty("filesReused").GetInt32().Should().Be(5, "each is still reused, as a copy: {0}", update.Describe());
        var tool = HostCommand.Stat(InVersion(target, ReleaseInputs.V2, Tool));
        tool.Links.Should().Be(1, "1.1.0 makes the tool executable: a link would share the mode with 1.0.0");
        tool.Mode.Should().Be("755");
        HostCommand.Stat(InVersion(target, ReleaseInputs.V1, Tool)).Mode.Should().Be("644", "the installed 1.0.0 keeps its own mode");

        var loose = HostCommand.Stat(InVersion(target, ReleaseInputs.V2, Loose));
        loose.Links.Should().Be(1, "a copy that group members may write could change under the new version");
        loose.Mode.Should().Be("644");
        var foreign = HostCommand.Stat(InVersion(target, ReleaseInputs.V2, Foreign));
        foreign.Links.Should().Be(1, "a copy owned by another user could change under the new version");
        foreign.Owner.Should().Be(0, "the copy belongs to the updater");
        HostCommand.Stat(InVersion(target, ReleaseInputs.V2, Data)).Links.Should().Be(2, "an ordinary unchanged file is still linked");
        await ShouldBeExactlyVersion2Async(target, template);
    }

    [Fact]
    public async Task Apply_InstalledCopyRewrittenAfterItWasHashed_IsNotSharedButDownloaded()
    {
        using var temp = new TempFolder();
        var template = await ReleaseTemplate.GetAsync();
        var feed = temp.CreateFolder("feed");
        var target = temp.Combine("target");

        // Only the data file is reused, so the pause point is reached once, for it.
        ForgedFile[] first = [s_version1[0], s_version1[1]];
        ForgedFile[] second = [s_version2[0], s_version1[1]];
        ReleaseInputs.WriteFolder(temp.Combine("in-1"), first);
        ReleaseInputs.WriteFolder(temp.Combine("in-2"), second);
        await using var server = await FeedServer.StartAsync(feed);
        (await Release(feed, ReleaseInputs.V1, temp.Combine("in-1"), template)).ShouldExitWith(0);
        (await CliRunner.RunAsync("apply", "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json")).ShouldExitWith(0);
        (await Release(feed, ReleaseInputs.V2, temp.Combine("in-2"), template)).ShouldExitWith(0);
        var installed = InVersion(target, ReleaseInputs.V1, Data);
        var pause = new PausePoint(temp, "after-hash-before-share");

        using var process = CliRunner.Start(pause.Environment, "apply", "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--json");
        await pause.WaitUntilPausedAsync(process);

        // The hashed copy is rewritten in place between its hash and the link: same size, other bytes.
        var other = ReleaseInputs.Bytes(seed: 99, length: 400_000);
        using (var same = new FileStream(installed, FileMode.Open, FileAccess.Write))
        {
            same.Write(other);
        }

        pause.Resume();
        var update = (await process.WaitAsync(CliRunner.DefaultTimeout)).ShouldExitWith(0).ShouldHaveNoStackTrace();

        update.Json().GetProperty("filesDownloaded").GetInt32().Should().Be(2, "the rewritten copy is not shared; copied again it no longer matches, so it is fetched: {0}", update.Describe());
        HostCommand.Stat(InVersion(target, ReleaseInputs.V2, Data)).Links.Should().Be(1);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V2), second);
        File.ReadAllBytes(installed).Should().Equal(other, "the installed 1.0.0 is left as it was found");
    }

    /// <summary>Installs 1.0.0 and publishes 1.1.0; returns the target and the signing template.</summary>
    private static async Task<(string Target, ReleaseTemplate Template)> InstallBothAsync(TempFolder temp)
    {
        var template = await ReleaseTemplate.GetAsync();
        var feed = temp.CreateFolder("feed");
        var target = temp.Combine("target");
        ReleaseInputs.WriteFolder(temp.Combine("in-1"), s_version1);
        ReleaseInputs.WriteFolder(temp.Combine("in-2"), s_version2);
        (await Release(feed, ReleaseInputs.V1, temp.Combine("in-1"), template)).ShouldExitWith(0);
        (await CliRunner.RunAsync("apply", "--feed", feed, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json")).ShouldExitWith(0);
        (await Release(feed, ReleaseInputs.V2, temp.Combine("in-2"), template)).ShouldExitWith(0);
        return (target, template);
    }

    private static async Task<CliResult> ApplyAsync(string target, ReleaseTemplate template, params string[] extra)
    {
        var feed = Path.Combine(Path.GetDirectoryName(target)!, "feed");
        var update = (await CliRunner.RunAsync(["apply", "--feed", feed, "--trust", template.TrustFile, "--target", target, "--json", .. extra]))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        update.JsonString("outcome").Should().Be("updated", update.Describe());
        return update;
    }

    private static async Task ShouldBeExactlyVersion2Async(string target, ReleaseTemplate template)
    {
        TargetAssert.CurrentVersion(target).Should().Be(ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V2), s_version2);
        (await CliRunner.RunAsync("verify", "--target", target, "--trust", template.TrustFile, "--json")).ShouldExitWith(0);
    }

    private static string InVersion(string target, string version, string path) =>
        Path.Combine(target, "versions", version, path.Replace('/', Path.DirectorySeparatorChar));

    private static Task<CliResult> Release(string feed, string version, string input, ReleaseTemplate template) =>
        CliRunner.RunAsync("release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version, "--input", input, "--key", template.KeyFile, "--json");
}
