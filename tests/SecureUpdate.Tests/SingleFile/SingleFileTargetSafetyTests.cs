using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using FluentAssertions.Execution;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// A single-file target under the same rule as a folder target: its folder and its state folder must be owned by
/// the user (or root) and writable by nobody else, the tool path must be a regular file, and a first install over a
/// file it did not make keeps that file.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileTargetSafetyTests
{
    private const uint OtherUser = 12345;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Apply_FolderOwnedByAnotherUser_ExitsTwoAndChangesNothing(bool installed)
    {
        using var world = await SingleFileWorld.CreateAsync(installed ? SingleFileTemplate.V1 : null);
        UnixFiles.ChangeOwner(world.Folder, OtherUser);
        var before = world.Snapshot();

        var result = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2), "--app", SingleFileTemplate.App);

        ShouldRefuseUnsafe(result, "owned by another user (uid 12345");
        world.ShouldBeUnchangedSince(before, "a folder another user owns is refused");
        Directory.Exists(world.StateFolder).Should().Be(installed, "no state folder is created");
    }

    [Fact]
    public async Task Commands_StateFolderWritableByOthers_ExitTwoAndChangeNothing()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V1);
        File.SetUnixFileMode(world.StateFolder, (UnixFileMode)0b111_111_111);
        var before = world.Snapshot();

        using (new AssertionScope())
        {
            foreach (var result in new[]
            {
                await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2)),
                await world.VerifyAsync(),
                await world.RollbackAsync(),
                await world.StatusAsync(),
            })
            {
                ShouldRefuseUnsafe(result, "writable by group or others");
                world.ShouldBeUnchangedSince(before, result.Arguments[0] + " refuses a state folder others can write");
            }
        }
    }

    [Fact]
    public async Task Apply_ToolPathIsANamedPipe_ExitsTwoWithoutBlocking()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        UnixFiles.MakeNamedPipe(world.Target);

        var result = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2), "--app", SingleFileTemplate.App);

        // No snapshot here: reading the pipe to digest it would block the test itself.
        ShouldRefuseUnsafe(result, "is a named pipe (FIFO)");
        Directory.EnumerateFileSystemEntries(world.Folder).Should().Equal([world.Target], "the pipe stays and nothing is created beside it");
        File.Exists(world.Target).Should().BeTrue("the pipe is neither removed nor replaced");
    }

    [Fact]
    public async Task Commands_InstalledToolReplacedByNamedPipe_ExitTwoWithoutBlocking()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        File.Delete(world.Target);
        UnixFiles.MakeNamedPipe(world.Target);
        var entries = Directory.EnumerateFileSystemEntries(world.Folder, "*", SearchOption.AllDirectories).Order().ToList();

        using (new AssertionScope())
        {
            foreach (var result in new[] { await world.VerifyAsync(), await world.RollbackAsync(), await world.StatusAsync() })
            {
                ShouldRefuseUnsafe(result, "is a named pipe (FIFO)");
            }
        }

        Directory.EnumerateFileSystemEntries(world.Folder, "*", SearchOption.AllDirectories).Order().Should().Equal(entries, "nothing was rolled back, pruned or created");
    }

    [Fact]
    public async Task Apply_FirstInstallOverUnmanagedFile_KeepsItAndSaysSo()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        var unmanaged = Encoding.UTF8.GetBytes("#!/bin/sh\necho installed by hand\n");
        File.WriteAllBytes(world.Target, unmanaged);

        var result = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2), "--app", SingleFileTemplate.App);

        result.ShouldExitWith(0);
        world.ShouldHold(SingleFileTemplate.V2, "the first install replaces the file");
        var kept = Path.Combine(world.StateFolder, "previous-unmanaged");
        File.ReadAllBytes(kept).Should().Equal(unmanaged, "the file that was there is kept, byte for byte");
        var events = await CliRunner.RunAsync("events", "--target-file", world.Target, "--json");
        events.ShouldExitWith(0);
        events.Stdout.Should().Contain("kept-unmanaged").And.Contain("previous-unmanaged", "the events say where the file was kept\n{0}", events.Describe());

        // Not a version: rollback has nothing to go back to, and the copy stays.
        (await world.RollbackAsync()).ShouldExitWith(7);
        File.Exists(kept).Should().BeTrue();
    }

    private static void ShouldRefuseUnsafe(CliResult result, string problem)
    {
        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("Unsafe target:").And.Contain(problem, result.Describe());
    }
}
