using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// A first install killed at every crash point: there is no old release, so <c>current</c> is either absent or exactly
/// the new release; the next command settles the target, and a following <c>apply</c> installs it.
/// </summary>
[Collection(CrashSuite.Name)]
public sealed class FirstInstallCrashTests
{
    private readonly CrashWorkspace _workspace;

    public FirstInstallCrashTests(CrashWorkspace workspace)
    {
        _workspace = workspace;
    }

    public static TheoryData<bool, string> Cases()
    {
        var cases = new TheoryData<bool, string>();
        foreach (var healthCheck in new[] { false, true })
        {
            foreach (var point in FaultInjection.Points)
            {
                cases.Add(healthCheck, point);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task FirstInstall_KilledAtCrashPoint_LeavesNothingOrNewAndNextApplyInstalls(bool healthCheck, string point)
    {
        var targets = await _workspace.GetTargetsAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("target");
        string[] apply = healthCheck
            ? [.. targets.Apply(target), "--app", ReleaseInputs.App, "--health-check", CrashTargets.HealthyCheck]
            : [.. targets.Apply(target), "--app", ReleaseInputs.App];

        (await CrashCli.RunAsync(point, apply)).ShouldExitWith(CrashCli.KilledExitCode);

        File.Exists(CrashInvariant.JournalPath(target)).Should().BeTrue("the kill leaves the journal for recovery\n{0}", CrashInvariant.Listing(target));
        var switched = CrashTargets.HasSwitchedAt(CrashCommand.ApplyUpdate, point);
        ShouldBeNothingOrNew(target, $"right after the kill at {point}", settled: false).Should().Be(switched ? ReleaseInputs.V2 : null);

        (await CrashCli.RunAsync(null, "status", "--target", target)).ShouldExitWith(0).ShouldHaveNoStackTrace();
        File.Exists(CrashInvariant.JournalPath(target)).Should().BeFalse("status settles the interrupted install\n{0}", CrashInvariant.Listing(target));
        Directory.Exists(Path.Combine(target, ".secure-update", "staging")).Should().BeFalse("no staging may be left");
        var settled = ShouldBeNothingOrNew(target, "after status", settled: true);
        if (healthCheck && point == "switched")
        {
            settled.Should().BeNull("a version killed before its health check passed must not be left current");
        }

        var verify = await CrashCli.RunAsync(null, "verify", "--target", target, "--trust", targets.TrustFile);
        verify.ShouldExitWith(settled is null ? 7 : 0).ShouldHaveNoStackTrace();

        (await CrashCli.RunAsync(null, apply)).ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V2);
        File.Exists(CrashInvariant.JournalPath(target)).Should().BeFalse("a finished apply leaves no journal");
    }

    /// <summary>
    /// Null when there is no <c>current</c> (and, once <paramref name="settled"/>, nothing under versions/: an undone first
    /// install leaves no release behind), else the version of the new release, which current holds exactly.
    /// </summary>
    private static string? ShouldBeNothingOrNew(string target, string when, bool settled)
    {
        if (CrashInvariant.CurrentLink(target) is null)
        {
            var current = new FileInfo(Path.Combine(target, "current"));
            (current.Exists || Directory.Exists(current.FullName)).Should().BeFalse("{0}: TARGET/current is a symlink or nothing", when);
            if (settled)
            {
                TargetAssert.ShouldHaveNoInstall(target);
            }

            return null;
        }

        var v2 = ReleaseFiles.Of(ReleaseInputs.V2);
        return CrashInvariant.ShouldBeOldOrNew(target, v2, v2, when);
    }
}
