using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary><c>rollback --target-file</c>: puts the kept previous file back after verifying it; the version left is not reinstalled.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileRollbackTests
{
    [Fact]
    public async Task Rollback_AfterUpdate_PreviousFileBackAndApplyKeepsIt()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);

        var rollback = await world.RollbackAsync();

        rollback.ShouldExitWith(0).ShouldHaveNoStackTrace();
        rollback.JsonString("version").Should().Be(SingleFileTemplate.V1, rollback.Describe());
        world.ShouldHold(SingleFileTemplate.V1);
        (await world.VerifyAsync()).ShouldExitWith(0);

        var apply = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2));

        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        apply.JsonString("outcome").Should().Be("current", "a version rolled back from is not installed again\n{0}", apply.Describe());
        apply.JsonString("version").Should().Be(SingleFileTemplate.V1);
        world.ShouldHold(SingleFileTemplate.V1);
        StatusReader.Current(await world.StatusAsync()).Should().Be(SingleFileTemplate.V1);

        var feed = world.CopyFeed(SingleFileTemplate.V2);
        var v3 = new ForgedFile(SingleFileTemplate.FileName, Encoding.UTF8.GetBytes("#!/bin/sh\necho tool 3.0.0\n"), executable: true);
        feed.Publish(SingleFileTemplate.App, "stable", "3.0.0", [v3], null, world.Template.Key);
        var newer = await world.ApplyAsync(feed.FeedRoot);

        newer.ShouldExitWith(0).JsonString("outcome").Should().Be("updated", "a release newer than the rolled-back one is installed\n{0}", newer.Describe());
        SingleFileWorld.ShouldHold(world.Target, v3);
        SingleFileWorld.ShouldHold(world.PreviousFile(SingleFileTemplate.V1), SingleFileTemplate.Tool(SingleFileTemplate.V1), "(the version rolled back to is kept as the previous file)");
    }

    [Fact]
    public async Task Rollback_WithUnrelatedTrust_IsRefusedAsTrustMismatchAndFileUnchanged()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        using var stranger = ForgedKey.Create();
        var strangerFile = world.Temp.Combine("stranger.pub");
        stranger.WritePublicKeyFile(strangerFile);
        var before = world.Snapshot();

        var rollback = await CliRunner.RunAsync("rollback", "--target-file", world.Target, "--trust", strangerFile, "--json");

        rollback.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("trust_mismatch");
        world.ShouldHold(SingleFileTemplate.V2);
        world.ShouldBeUnchangedSince(before, "a key the target never trusted is not its trust root");
    }

    [Theory]
    [InlineData(FileMutation.Flip)]
    [InlineData(FileMutation.Empty)]
    public async Task Rollback_KeptPreviousTampered_ExitsSevenAndFileUnchanged(FileMutation mutation)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        FileMutator.Apply(world.PreviousFile(SingleFileTemplate.V1), mutation);
        var before = world.Snapshot();

        var rollback = await world.RollbackAsync();

        rollback.ShouldExitWith(7).ShouldReportFailureClearly().ShouldHaveErrorCode("not_installed");
        world.ShouldHold(SingleFileTemplate.V2);
        world.ShouldBeUnchangedSince(before, "a refused rollback switches nothing");
        (await world.VerifyAsync()).ShouldExitWith(0);
    }

    [Fact]
    public async Task Rollback_NoKeptPrevious_ExitsSeven()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V1);
        var before = world.Snapshot();

        var rollback = await world.RollbackAsync();

        rollback.ShouldExitWith(7).ShouldReportFailureClearly();
        world.ShouldHold(SingleFileTemplate.V1);
        world.ShouldBeUnchangedSince(before, "a refused rollback switches nothing");
    }
}
