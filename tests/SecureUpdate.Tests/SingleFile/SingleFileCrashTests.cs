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

    public static TheoryData<string, bool> FirstInstallCrashPoints => new()
    {
        { "version-moved", false },
        { "switched", true },
        { "before-journal-cleared", true },
    };

    public static TheoryData<string, string> RollbackCrashPoints => new()
    {
        { "journal-written", SingleFileTemplate.V2 },
        { "switched", SingleFileTemplate.V1 },
        { "before-journal-cleared", SingleFileTemplate.V1 },
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

    [Theory]
    [MemberData(nameof(RollbackCrashPoints))]
    public async Task Rollback_KilledAtJournalStep_FileIsOldOrNewAndNextCommandsRecover(string point, string expected)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        var journal = Path.Combine(world.StateFolder, "journal.json");

        var crashed = await ProgramRunner.RunCliAsync(new Dictionary<string, string> { [CrashVariable] = point }, "rollback", "--target-file", world.Target, "--json");

        crashed.ExitCode.Should().Be(Killed, "the rollback must have been killed at {0}\n{1}", point, crashed.Describe());
        File.Exists(journal).Should().BeTrue("the process died with the rollback journaled");
        world.ShouldHold(expected, $"(crash of a rollback at {point})");

        var status = await world.StatusAsync();

        status.ShouldExitWith(0).ShouldHaveNoStackTrace();
        File.Exists(journal).Should().BeFalse("status settles the interrupted rollback\n{0}", status.Describe());
        StatusReader.Current(status).Should().Be(expected, status.Describe());
        (await world.VerifyAsync()).ShouldExitWith(0).JsonString("version").Should().Be(expected);

        var apply = await world.ApplyAsync(world.Template.Feed(SingleFileTemplate.V2));

        apply.ShouldExitWith(0).JsonString("outcome").Should().Be("current", "either nothing was rolled back or 2.0.0 is not reinstalled\n{0}", apply.Describe());
        world.ShouldHold(expected);
    }

    [Theory]
    [MemberData(nameof(FirstInstallCrashPoints))]
    public async Task Apply_FirstInstallKilledAtJournalStep_FileAbsentOrNewAndVerifyAgrees(string point, bool fileInPlace)
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        var feed = world.Template.Feed(SingleFileTemplate.V1);

        var crashed = await ProgramRunner.RunCliAsync(
            new Dictionary<string, string> { [CrashVariable] = point },
            "apply", "--feed", feed, "--trust", world.TrustFile, "--target-file", world.Target, "--app", SingleFileTemplate.App, "--json");

        crashed.ExitCode.Should().Be(Killed, "the first install must have been killed at {0}\n{1}", point, crashed.Describe());
        if (fileInPlace)
        {
            world.ShouldHold(SingleFileTemplate.V1, $"(the rename happened before the crash at {point})");
        }
        else
        {
            File.Exists(world.Target).Should().BeFalse("the rename had not happened at {0}", point);
        }

        var status = await world.StatusAsync();

        status.ShouldExitWith(0).ShouldHaveNoStackTrace();
        File.Exists(Path.Combine(world.StateFolder, "journal.json")).Should().BeFalse("status settles the interrupted install\n{0}", status.Describe());
        var verify = await world.VerifyAsync();
        if (fileInPlace)
        {
            // The file in place is the new release: recovery finishes the install, it cannot pretend nothing is there.
            StatusReader.Current(status).Should().Be(SingleFileTemplate.V1, "the file holds 1.0.0 after the crash at {0}\n{1}", point, status.Describe());
            verify.ShouldExitWith(0);
            world.ShouldHold(SingleFileTemplate.V1);
        }
        else
        {
            StatusReader.Current(status).Should().BeNull(status.Describe());
            verify.ShouldExitWith(7);
        }

        var apply = await world.ApplyAsync(feed, "--app", SingleFileTemplate.App);

        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHold(SingleFileTemplate.V1);
        (await world.VerifyAsync()).ShouldExitWith(0);
    }
}
