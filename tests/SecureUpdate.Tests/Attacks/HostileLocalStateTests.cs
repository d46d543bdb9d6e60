using System.Text.Json.Nodes;
using FluentAssertions.Execution;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Versions planted in the target's own files (state, journal) that are paths, not versions: every command refuses
/// (exit 2) before using them, and nothing inside or outside the target is removed, switched or rewritten.
/// </summary>
public sealed class HostileLocalStateTests
{
    // From versions/ (or manifests/) three levels up is the test's own folder, outside work/ and the target.
    private const string Escape = "../../../victim";

    private static readonly string[] s_commands = ["status", "verify", "rollback", "apply"];

    [Theory]
    [InlineData("journal version")]
    [InlineData("journal previous")]
    [InlineData("pending previous")]
    [InlineData("pending version")]
    [InlineData("rejected version")]
    [InlineData("floor")]
    [InlineData("current")]
    public async Task Commands_LocalStateNamingAPathAsVersion_RefuseWithExit2AndRemoveOrSwitchNothing(string planted)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var victim = scenario.Temp.CreateFolder("victim");
        File.WriteAllText(Path.Combine(victim, "keep.txt"), "must survive\n");
        var state = Path.Combine(scenario.Target, ".secure-update");
        switch (planted)
        {
            case "journal version":
                WriteJournal(state, new JsonObject { ["operation"] = "install", ["version"] = Escape, ["previous"] = ReleaseInputs.V1, ["createdVersion"] = true });
                break;
            case "journal previous":
                WriteJournal(state, new JsonObject { ["operation"] = "install", ["version"] = ReleaseInputs.V2, ["previous"] = Escape, ["createdVersion"] = false });
                break;
            case "pending previous":
                EditState(state, s => s["pendingConfirmation"] = Pending(ReleaseInputs.V1, Escape));
                break;
            case "pending version":
                EditState(state, s => s["pendingConfirmation"] = Pending(Escape, ReleaseInputs.V1));
                break;
            case "rejected version":
                EditState(state, s => s["rejected"] = new JsonArray(Escape));
                break;
            case "floor":
                EditState(state, s => s["floor"] = Escape);
                break;
            case "current":
                EditState(state, s => s["current"] = Escape);
                break;
        }

        scenario.Recapture();
        var victimBefore = TargetSnapshot.Capture(victim);

        using (new AssertionScope())
        {
            foreach (var command in s_commands)
            {
                var result = command == "apply"
                    ? await scenario.ApplyAsync()
                    : await CliRunner.RunAsync(command == "verify"
                        ? ["verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--json"]
                        : [command, "--target", scenario.Target, "--json"]);

                result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
                result.Stderr.Should().Contain("which is not a version", "{0} names the bad value\n{1}", command, result.Describe());
                TargetSnapshot.Difference(scenario.Before, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty("{0} must leave the target exactly as it was\n{1}", command, result.Describe());
                TargetSnapshot.Difference(victimBefore, TargetSnapshot.Capture(victim)).Should().BeEmpty("{0} must never touch a folder the state names\n{1}", command, result.Describe());
                TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
            }
        }
    }

    [Fact]
    public async Task Status_StateSubfolderPlantedAsSymlinkOut_IsRefusedAndNothingOutsideIsDeleted()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var outside = scenario.Temp.CreateFolder("outside");
        var bait = Path.Combine(outside, ".precious.tmp");
        File.WriteAllText(bait, "not a leftover of ours\n");
        var roots = Path.Combine(scenario.Target, ".secure-update", "roots");
        DirectoryCopy.Copy(roots, Path.Combine(outside, "copy"));
        Directory.Delete(roots, recursive: true);
        File.CreateSymbolicLink(roots, outside);
        scenario.Recapture();

        var result = await CliRunner.RunAsync("status", "--target", scenario.Target, "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        File.Exists(bait).Should().BeTrue("cleaning up leftovers must never follow a symlink out of the target\n{0}", result.Describe());
        scenario.Before.ShouldBeUnchanged();
    }

    private static JsonObject Pending(string version, string previous) => new()
    {
        ["version"] = version,
        ["previous"] = previous,
        ["deadline"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["startsLeft"] = 0,
    };

    private static void WriteJournal(string state, JsonObject entry)
    {
        entry["schema"] = "secure-update/journal/v1";
        File.WriteAllText(Path.Combine(state, "journal.json"), entry.ToJsonString());
    }

    private static void EditState(string state, Action<JsonObject> edit)
    {
        var path = Path.Combine(state, "state.json");
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(document);
        File.WriteAllText(path, document.ToJsonString());
    }
}
