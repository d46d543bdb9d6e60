using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// The starting targets of the crash tests, built once per run (<see cref="CrashWorkspace"/>) with the real CLI from the
/// <see cref="ReleaseTemplate"/>; tests copy them, never change them: 1.0.0 installed, 1.1.0 staged beside 1.0.0, and 1.1.0 installed over 1.0.0.
/// </summary>
public sealed class CrashTargets
{
    /// <summary>The feed's health check: always healthy.</summary>
    public const string HealthyCheck = "exit 0";

    private CrashTargets(ReleaseTemplate template, string root)
    {
        Template = template;
        Root = root;
    }

    public ReleaseTemplate Template { get; }

    public string Root { get; }

    /// <summary>The feed offering 1.1.0 (with 1.0.0 before it): a folder feed, read directly.</summary>
    public string Feed => Template.Feed(ReleaseInputs.V2);

    public string TrustFile => Template.TrustFile;

    /// <summary>1.0.0 current; 1.1.0 staged by <c>apply --stage-only</c>.</summary>
    public string StagedTarget => Path.Combine(Root, "staged");

    /// <summary>1.1.0 current; 1.0.0 kept for rollback.</summary>
    public string UpdatedTarget => Path.Combine(Root, "updated");

    /// <summary>The release current points at before <paramref name="command"/>.</summary>
    public static ReleaseFiles Old(CrashCommand command) => ReleaseFiles.Of(command == CrashCommand.Rollback ? ReleaseInputs.V2 : ReleaseInputs.V1);

    /// <summary>The release <paramref name="command"/> moves current to (for a stage-only apply, the one a later apply reaches).</summary>
    public static ReleaseFiles New(CrashCommand command) => ReleaseFiles.Of(command == CrashCommand.Rollback ? ReleaseInputs.V1 : ReleaseInputs.V2);

    /// <summary>The crash points <paramref name="command"/> passes, read from the order of its steps in the library.</summary>
    public static IReadOnlyList<string> PointsOnPath(CrashCommand command) => command switch
    {
        CrashCommand.ApplyUpdate or CrashCommand.HealthCheckedApply =>
            ["journal-written", "manifest-written", "version-moved", "switched", "state-written", "pruned", "before-journal-cleared"],
        CrashCommand.StageOnly => ["journal-written", "manifest-written", "version-moved", "before-journal-cleared"],
        CrashCommand.SwapStaged => ["journal-written", "switched", "state-written", "pruned", "before-journal-cleared"],
        CrashCommand.Rollback => ["journal-written", "switched", "before-journal-cleared"],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
    };

    /// <summary>True when current has moved by the time <paramref name="command"/> reaches <paramref name="point"/>.</summary>
    public static bool HasSwitchedAt(CrashCommand command, string point) =>
        command != CrashCommand.StageOnly && point is "switched" or "state-written" or "pruned" or "before-journal-cleared";

    /// <summary>Copies the starting target of <paramref name="command"/> to <paramref name="destination"/>.</summary>
    public void CopyStartingTarget(CrashCommand command, string destination)
    {
        var source = command switch
        {
            CrashCommand.SwapStaged => StagedTarget,
            CrashCommand.Rollback => UpdatedTarget,
            _ => Template.InstalledTarget,
        };
        DirectoryCopy.Copy(source, destination);
    }

    /// <summary>The command line of <paramref name="command"/> on <paramref name="target"/>.</summary>
    public string[] Arguments(CrashCommand command, string target) => command switch
    {
        CrashCommand.ApplyUpdate => Apply(target),
        CrashCommand.StageOnly => [.. Apply(target), "--stage-only"],
        CrashCommand.SwapStaged => ["swap", "--target", target],
        CrashCommand.Rollback => ["rollback", "--target", target],
        CrashCommand.HealthCheckedApply => [.. Apply(target), "--health-check", HealthyCheck],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
    };

    /// <summary><c>apply</c> from the folder feed with the template's trust.</summary>
    public string[] Apply(string target) => ["apply", "--feed", Feed, "--trust", TrustFile, "--target", target];

    /// <summary>Builds the targets under <paramref name="root"/> (see <see cref="CrashWorkspace"/>).</summary>
    internal static async Task<CrashTargets> CreateAsync(string root)
    {
        var template = await ReleaseTemplate.GetAsync();
        var targets = new CrashTargets(template, root);

        DirectoryCopy.Copy(template.InstalledTarget, targets.StagedTarget);
        (await CrashCli.RunAsync(null, [.. targets.Apply(targets.StagedTarget), "--stage-only"])).ShouldExitWith(0);
        TargetAssert.ShouldHaveInstalled(targets.StagedTarget, ReleaseInputs.V1);
        TargetAssert.ShouldHoldExactly(Path.Combine(targets.StagedTarget, "versions", ReleaseInputs.V2), ReleaseInputs.Version2);

        DirectoryCopy.Copy(template.InstalledTarget, targets.UpdatedTarget);
        (await CrashCli.RunAsync(null, targets.Apply(targets.UpdatedTarget))).ShouldExitWith(0);
        TargetAssert.ShouldHaveInstalled(targets.UpdatedTarget, ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(targets.UpdatedTarget, "versions", ReleaseInputs.V1), ReleaseInputs.Version1);
        return targets;
    }
}
