using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using FluentAssertions.Execution;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// A single-file target whose state or journal names a path instead of a version: every command refuses (exit 2) before
/// using it, and neither the file, its kept previous file, nor anything outside is removed or replaced.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileHostileStateTests
{
    // From the state folder's manifests/ three levels up is the test's own folder, outside bin/.
    private const string Escape = "../../../victim";

    [Theory]
    [InlineData("journal version")]
    [InlineData("journal previous")]
    [InlineData("state current")]
    public async Task Commands_StateNamingAPathAsVersion_RefuseWithExit2AndRemoveNothing(string planted)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        var victim = world.Temp.CreateFolder("victim");
        File.WriteAllText(Path.Combine(victim, "keep.txt"), "must survive\n");
        var victimFile = world.Temp.Combine("victim.json");
        File.WriteAllText(victimFile, "must survive\n");
        var stateFile = Path.Combine(world.StateFolder, "state.json");
        switch (planted)
        {
            case "journal version":
                WriteJournal(world, new JsonObject { ["operation"] = "install-file", ["version"] = Escape, ["previous"] = SingleFileTemplate.V1 });
                break;
            case "journal previous":
                WriteJournal(world, new JsonObject { ["operation"] = "install-file", ["version"] = "9.9.9", ["previous"] = Escape });
                break;
            case "state current":
                var state = JsonNode.Parse(File.ReadAllText(stateFile))!.AsObject();
                state["current"] = Escape;
                File.WriteAllText(stateFile, state.ToJsonString());
                break;
        }

        var before = world.Snapshot();
        var outside = TargetSnapshot.Capture(victim);

        using (new AssertionScope())
        {
            foreach (var run in new Func<Task<CliResult>>[] { world.StatusAsync, world.VerifyAsync, world.RollbackAsync })
            {
                var result = await run();

                result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
                result.Stderr.Should().Contain("which is not a version", result.Describe());
                world.ShouldBeUnchangedSince(before, result.Describe());
                TargetSnapshot.Difference(outside, TargetSnapshot.Capture(victim)).Should().BeEmpty(result.Describe());
                File.Exists(victimFile).Should().BeTrue("nothing named by the state is removed\n{0}", result.Describe());
            }
        }
    }

    private static void WriteJournal(SingleFileWorld world, JsonObject entry)
    {
        entry["schema"] = "secure-update/journal/v1";
        File.WriteAllText(Path.Combine(world.StateFolder, "journal.json"), entry.ToJsonString());
    }
}
