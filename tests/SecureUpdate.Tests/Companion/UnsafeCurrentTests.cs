using FluentAssertions.Execution;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// <c>TARGET/current</c> replaced by a plain folder, or by a symlink that leads out of the target: every command that
/// works on the target refuses (exit 2) and never reads, switches or writes through it.
/// </summary>
public sealed class UnsafeCurrentTests
{
    private static readonly string[] s_commands = ["verify", "rollback", "swap", "apply"];

    [Theory]
    [InlineData("plain-directory")]
    [InlineData("absolute-symlink-outside")]
    [InlineData("relative-symlink-outside")]
    [InlineData("versions-prefixed-symlink-outside")]
    public async Task TargetCommands_CurrentNotOurSymlink_RefuseWithExit2AndNeverWriteThroughIt(string replacement)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var work = Path.GetDirectoryName(scenario.Target)!;
        var outside = Path.Combine(work, "outside");
        DirectoryCopy.Copy(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1), outside);
        var current = Path.Combine(scenario.Target, "current");
        File.Delete(current);
        switch (replacement)
        {
            case "plain-directory":
                DirectoryCopy.Copy(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1), current);
                break;
            case "absolute-symlink-outside":
                File.CreateSymbolicLink(current, outside);
                break;
            case "relative-symlink-outside":
                File.CreateSymbolicLink(current, "../outside");
                break;
            case "versions-prefixed-symlink-outside":
                File.CreateSymbolicLink(current, "versions/../../outside");
                break;
        }

        var target = TargetSnapshot.Capture(scenario.Target);
        var outsideBefore = TargetSnapshot.Capture(outside);

        using (new AssertionScope())
        {
            foreach (var command in s_commands)
            {
                var result = await scenario.RunAsync(command);

                result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
                TargetSnapshot.Difference(target, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty("{0} must leave the target exactly as it was\n{1}", command, result.Describe());
                TargetSnapshot.Difference(outsideBefore, TargetSnapshot.Capture(outside)).Should().BeEmpty("{0} must never write through `current`\n{1}", command, result.Describe());
                Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName).Should().BeEquivalentTo(["target", "outside"], "{0} writes nothing beside the target", command);
            }
        }
    }
}
