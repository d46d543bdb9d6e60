using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// Health by confirmation (<c>swap --confirm-within</c>): a version that does not confirm itself in time is switched back
/// and rejected. A kill right after that switch back must not change the outcome: once the target is settled, the
/// unconfirmed version is neither current nor installed again by the next <c>apply</c>, exactly as without the kill.
/// </summary>
[Collection(CrashSuite.Name)]
public sealed class ConfirmationRevertCrashTests
{
    private readonly CrashWorkspace _workspace;

    public ConfirmationRevertCrashTests(CrashWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<bool, string?> Cases() => new()
    {
        // Without a kill: the behaviour the kill must not change.
        { false, null },
        { true, null },

        // The swap's own switch is the first "switched"; the switch back when the confirmation is overdue is the second.
        { false, "switched#2" },
        { true, "switched#2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Swap_UnconfirmedVersionRevertedThenKilled_VersionStaysRejected(bool firstInstall, string? crashAt)
    {
        var targets = await _workspace.GetTargetsAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("target");
        if (firstInstall)
        {
            (await CrashCli.RunAsync(null, [.. targets.Apply(target), "--app", ReleaseInputs.App, "--stage-only"])).ShouldExitWith(0);
        }
        else
        {
            targets.CopyStartingTarget(CrashCommand.SwapStaged, target);
        }

        var expected = firstInstall ? null : "versions/" + ReleaseInputs.V1;

        var swap = await CrashCli.RunAsync(crashAt, "swap", "--target", target, "--confirm-within", "1s");

        swap.ShouldExitWith(crashAt is null ? 5 : CrashCli.KilledExitCode);
        CrashInvariant.CurrentLink(target).Should().Be(expected, "the unconfirmed 1.1.0 was switched back\n{0}", CrashInvariant.Listing(target));
        (await CrashCli.RunAsync(null, "status", "--target", target)).ShouldExitWith(0);
        File.Exists(CrashInvariant.JournalPath(target)).Should().BeFalse("status settles the interrupted revert\n{0}", CrashInvariant.Listing(target));
        CrashInvariant.CurrentLink(target).Should().Be(expected, "settling keeps the switch back\n{0}", CrashInvariant.Listing(target));

        var apply = await CrashCli.RunAsync(null, targets.Apply(target));

        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        CrashInvariant.CurrentLink(target).Should().Be(
            expected,
            "1.1.0 did not confirm itself healthy and was rejected; apply must not install it again (kill at {0})\n{1}\n{2}",
            crashAt ?? "none",
            apply.Describe(),
            CrashInvariant.Listing(target));
        (await CrashCli.RunAsync(null, "status", "--target", target)).ShouldExitWith(0);
        CrashInvariant.CurrentLink(target).Should().Be(expected, "a later command changes nothing\n{0}", CrashInvariant.Listing(target));
    }
}
