using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// A single-file update killed (SIGKILL, by the armed fault-injection point) at each of its journal steps leaves the
/// file exactly the old or exactly the new release; the next command settles the journal, verify passes, and a
/// following apply ends on the new version with the previous file kept.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileCrashTests
{
    private const string CrashVariable = "SECURE_UPDATE_TEST_CRASH_AT";

    /// <summary>128 + SIGKILL: how a process that killed itself exits.</summary>
    private const int Killed = 137;

    public static TheoryData<string, string> CrashPoints => new()
    {
        // Before the rename the file is still the old release; from the rename on it is the new one.
        { "manifest-written", SingleFileTemplate.V1 },
        { "version-moved", SingleFileTemplate.V1 },
        { "switched", SingleFileTemplate.V2 },
        { "state-written", SingleFileTemplate.V2 },
        { "before-journal-cleared", SingleFileTemplate.V2 },
    };

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task Apply_KilledAtJournalStep_FileIsOldOrNewAndNextCommandsRecover(string point, string expected)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V1);
        var feed = world.Template.Feed(SingleFileTemplate.V2);
        var journal = Path.Combine(world.StateFolder, "journal.json");

        var crashed = await ProgramRunner.RunCliAsync(
            new Dictionary<string, string> { [CrashVariable] = point },
            "apply", "--feed", feed, "--trust", world.TrustFile, "--target-file", world.Target, "--json");

        crashed.ExitCode.Should().Be(Killed, "the apply must have been killed at {0}\n{1}", point, crashed.Describe());
        File.Exists(journal).Should().BeTrue("the process died with the operation journaled");
        var old = SingleFileTemplate.Tool(SingleFileTemplate.V1).Sha256;
        var @new = SingleFileTemplate.Tool(SingleFileTemplate.V2).Sha256;
        FileFingerprint.Of(world.Target).Sha256.Should().BeOneOf([old, @new], "the file is exactly the old or the new release after a crash at {0}", point);
        world.ShouldHold(expected, $"(the rename is the single atomic step; crash at {point})");

        var status = await world.StatusAsync();

        status.ShouldExitWith(0).ShouldHaveNoStackTrace();
        File.Exists(journal).Should().BeFalse("status settles the interrupted operation\n{0}", status.Describe());
        Directory.Exists(Path.Combine(world.StateFolder, "staging")).Should().BeFalse("recovery removes what was staged");
        StatusReader.Current(status).Should().Be(expected, status.Describe());
        StatusReader.Installed(status).Should().OnlyHaveUniqueItems("each version the file or a kept previous holds is listed once\n{0}", status.Describe());
        world.ShouldHold(expected, $"(recovery after a crash at {point} changes no file content)");
        (await world.VerifyAsync()).ShouldExitWith(0).JsonString("version").Should().Be(expected);

        var apply = await world.ApplyAsync(feed);

        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        apply.JsonString("outcome").Should().Be(expected == SingleFileTemplate.V1 ? "updated" : "current", apply.Describe());
        world.ShouldHold(SingleFileTemplate.V2);
        SingleFileWorld.ShouldHold(world.PreviousFile(SingleFileTemplate.V1), SingleFileTemplate.Tool(SingleFileTemplate.V1), "(the previous file is kept for rollback)");
        (await world.VerifyAsync()).ShouldExitWith(0).JsonString("version").Should().Be(SingleFileTemplate.V2);
        File.Exists(journal).Should().BeFalse();
    }
}
