using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary><c>apply --target-file</c>: install, update in place with the previous file kept, and a re-apply that changes nothing.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileApplyTests
{
    [Fact]
    public async Task Apply_InstallThenUpdateOverHttp_FileIsEachReleaseWithItsExecutableBit()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        var feed = world.CopyFeed(SingleFileTemplate.V1);
        await using var server = await FeedServer.StartAsync(feed.FeedRoot);

        var installed = await world.ApplyAsync(server.Url, "--app", SingleFileTemplate.App);

        installed.ShouldExitWith(0).ShouldHaveNoStackTrace();
        installed.JsonString("outcome").Should().Be("installed", installed.Describe());
        installed.JsonString("version").Should().Be(SingleFileTemplate.V1);
        world.ShouldHold(SingleFileTemplate.V1);

        feed.Publish(SingleFileTemplate.App, "stable", SingleFileTemplate.V2, [SingleFileTemplate.Tool(SingleFileTemplate.V2)], null, world.Template.Key);
        var updated = await world.ApplyAsync(server.Url);

        updated.ShouldExitWith(0).ShouldHaveNoStackTrace();
        updated.JsonString("outcome").Should().Be("updated", updated.Describe());
        updated.JsonString("version").Should().Be(SingleFileTemplate.V2);
        world.ShouldHold(SingleFileTemplate.V2);
        SingleFileWorld.ShouldHold(world.PreviousFile(SingleFileTemplate.V1), SingleFileTemplate.Tool(SingleFileTemplate.V1), "(the previous file is kept for rollback)");
        Directory.EnumerateFileSystemEntries(world.Folder).Select(Path.GetFileName).Should().BeEquivalentTo(
            [SingleFileTemplate.FileName, Path.GetFileName(world.StateFolder)], "nothing but the file and its state folder appears beside it");
        Directory.Exists(Path.Combine(world.StateFolder, "staging")).Should().BeFalse("staging is emptied after each run");
        File.Exists(Path.Combine(world.StateFolder, "journal.json")).Should().BeFalse("a finished update leaves no journal");
    }

    [Fact]
    public async Task Apply_SameVersionAgain_ChangesNothingAndStatusShowsIt()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        var before = world.Snapshot();

        var again = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2));

        again.ShouldExitWith(0).ShouldHaveNoStackTrace();
        again.JsonString("outcome").Should().Be("current", again.Describe());
        again.JsonString("version").Should().Be(SingleFileTemplate.V2);
        world.ShouldBeUnchangedSince(before, "re-applying the installed version is a no-op");

        var status = await world.StatusAsync();

        status.ShouldExitWith(0).ShouldHaveNoStackTrace();
        StatusReader.Current(status).Should().Be(SingleFileTemplate.V2, status.Describe());
        StatusReader.App(status).Should().Be(SingleFileTemplate.App);
        StatusReader.Channel(status).Should().Be("stable");
        StatusReader.Installed(status).Should().BeEquivalentTo([SingleFileTemplate.V2, SingleFileTemplate.V1], "the current file and the kept previous one\n{0}", status.Describe());
        world.ShouldBeUnchangedSince(before, "status only reads");
    }

    [Fact]
    public async Task Status_NothingInstalled_IsExit7NotInstalled()
    {
        // One rule for every command on an installed target: nothing installed there is exit 7.
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        File.WriteAllText(world.Target, "#!/bin/sh\n");

        var status = await world.StatusAsync();

        status.ShouldExitWith(7).ShouldReportFailureClearly().ShouldHaveErrorCode("not_installed");
        Directory.Exists(world.StateFolder).Should().BeFalse("status creates nothing");
    }
}
