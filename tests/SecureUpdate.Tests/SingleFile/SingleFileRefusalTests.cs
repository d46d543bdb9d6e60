using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>What <c>--target-file</c> refuses before anything changes: releases of other than one file, unsafe locations, conflicting options.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileRefusalTests
{
    private const UnixFileMode WorldWritable = (UnixFileMode)0b111_111_111;
    private const UnixFileMode GroupWritable = (UnixFileMode)0b111_111_101;
    private const UnixFileMode OthersWritable = (UnixFileMode)0b111_101_111;

    public static TheoryData<int, bool> FileCounts => new()
    {
        { 2, true },
        { 0, true },
        { 2, false },
    };

    public static TheoryData<UnixFileMode, bool> WritableFolders => new()
    {
        { WorldWritable, false },
        { GroupWritable, false },
        { OthersWritable, false },
        { WorldWritable | UnixFileMode.StickyBit, false },
        { WorldWritable, true },
    };

    [Theory]
    [MemberData(nameof(FileCounts))]
    public async Task Apply_ReleaseNotOfOneFile_ExitsThreeMalformedAndChangesNothing(int fileCount, bool installed)
    {
        using var world = await SingleFileWorld.CreateAsync(installed ? SingleFileTemplate.V1 : null);
        var feed = world.CopyFeed(SingleFileTemplate.V1);
        var files = Enumerable.Range(0, fileCount)
            .Select(i => new ForgedFile(i == 0 ? SingleFileTemplate.FileName : $"extra-{i}", Encoding.UTF8.GetBytes($"#!/bin/sh\necho part {i}\n"), executable: true))
            .ToArray();
        feed.Publish(SingleFileTemplate.App, "stable", SingleFileTemplate.V2, files, null, world.Template.Key);
        var before = world.Snapshot();

        var result = await world.ApplyAsync(feed.FeedRoot, "--app", SingleFileTemplate.App);

        result.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("malformed");
        world.ShouldBeUnchangedSince(before, $"a release of {fileCount} files is refused");
        if (!installed)
        {
            Directory.EnumerateFileSystemEntries(world.Folder).Should().BeEmpty("a refused first install leaves nothing beside the file, not even its state folder");
        }
    }

    [Theory]
    [MemberData(nameof(WritableFolders))]
    public async Task Apply_FolderWritableByGroupOrOthers_ExitsTwoAndCreatesNothing(UnixFileMode folderMode, bool installed)
    {
        using var world = await SingleFileWorld.CreateAsync(installed ? SingleFileTemplate.V1 : null);
        if (!installed)
        {
            File.WriteAllText(world.Target, "#!/bin/sh\necho placed by hand\n");
        }

        File.SetUnixFileMode(world.Folder, folderMode);
        var before = world.Snapshot();
        var target = FileFingerprint.Of(world.Target);

        var result = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2), "--app", SingleFileTemplate.App);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("writable", result.Describe());
        FileFingerprint.Of(world.Target).Should().Be(target, "the file is byte-identical with its mode");
        world.ShouldBeUnchangedSince(before, "a folder others can write is refused before anything is created");
        File.GetUnixFileMode(world.Folder).Should().Be(folderMode, "the folder's mode is never changed");
        Directory.Exists(world.StateFolder).Should().Be(installed, "no state folder is created beside the file");
    }

    [Fact]
    public async Task Apply_TargetIsSymlink_ExitsTwoAndLinkTargetUntouched()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        var elsewhere = SingleFileTemplate.CreateOwnerOnlyFolder(world.Temp.Combine("elsewhere"));
        var real = Path.Combine(elsewhere, "real-tool");
        File.WriteAllText(real, "#!/bin/sh\necho the file the link points at\n");
        File.SetUnixFileMode(real, ReleaseInputs.ExecutableMode);
        File.CreateSymbolicLink(world.Target, real);
        var link = FileFingerprint.Of(world.Target);
        var pointedAt = FileFingerprint.Of(real);
        var before = world.Snapshot();

        var result = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2), "--app", SingleFileTemplate.App);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        FileFingerprint.Of(world.Target).Should().Be(link, "the symlink is neither followed nor replaced");
        FileFingerprint.Of(real).Should().Be(pointedAt, "the symlink's target is untouched");
        Directory.EnumerateFileSystemEntries(elsewhere).Should().ContainSingle("nothing is created beside the symlink's target");
        world.ShouldBeUnchangedSince(before, "a symlink is refused");
    }

    [Fact]
    public async Task Apply_TargetIsFolder_ExitsTwoAndChangesNothing()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        SingleFileTemplate.CreateOwnerOnlyFolder(world.Target);
        var before = world.Snapshot();

        var result = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2), "--app", SingleFileTemplate.App);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        world.ShouldBeUnchangedSince(before, "a folder is not a file to replace");
    }

    [Theory]
    [InlineData("apply", true)]
    [InlineData("apply", false)]
    [InlineData("verify", true)]
    [InlineData("rollback", false)]
    public async Task Command_BothOrNeitherTargetOption_ExitsTwo(string command, bool both)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        var before = world.Snapshot();
        var arguments = new List<string> { command, "--json" };
        if (command == "apply")
        {
            arguments.AddRange(["--feed", world.Template.Feed(SingleFileTemplate.V2)]);
        }

        if (command is "apply" or "verify")
        {
            arguments.AddRange(["--trust", world.TrustFile]);
        }

        if (both)
        {
            arguments.AddRange(["--target", world.Folder, "--target-file", world.Target]);
        }

        var result = await CliRunner.RunAsync([.. arguments]);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        world.ShouldBeUnchangedSince(before, "a usage error changes nothing");
    }

    [Theory]
    [InlineData("--stage-only")]
    [InlineData("--health-check")]
    public async Task Apply_FolderOnlyOptionWithTargetFile_ExitsTwoAndChangesNothing(string option)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V1);
        var before = world.Snapshot();
        string[] extra = option == "--health-check" ? [option, "true"] : [option];

        var result = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2), extra);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("usage");
        world.ShouldHold(SingleFileTemplate.V1);
        world.ShouldBeUnchangedSince(before, $"{option} does not apply to a single file");
    }
}
