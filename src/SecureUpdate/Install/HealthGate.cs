using System.Diagnostics.CodeAnalysis;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// After a switch: runs the health check, and when it fails (or the new version cannot be started)
/// switches back, rejects the version so it is not installed again automatically, restarts the
/// previous version, and fails with <see cref="ErrorCode.HealthCheckFailed"/> (exit 5).
/// </summary>
internal sealed class HealthGate
{
    private readonly DiskOperations _disk;
    private readonly TargetTransitions _transitions;
    private readonly IAuditTrail _audit;
    private readonly TimeProvider _timeProvider;

    public HealthGate(DiskOperations disk, TargetTransitions transitions, IAuditTrail audit, TimeProvider timeProvider)
    {
        _disk = disk;
        _transitions = transitions;
        _audit = audit;
        _timeProvider = timeProvider;
    }

    /// <summary>Runs the health check of <paramref name="policy"/>, if any; on failure reverts (see <see cref="Revert"/>).</summary>
    public async Task CheckOrRevertAsync(IInstallTarget target, TargetState state, string version, string? previous, HealthPolicy policy, bool removeVersion, CancellationToken cancellationToken)
    {
        if (policy.HealthCheck is null)
        {
            return;
        }

        var failure = await ShellCommand.RunAsync(policy.HealthCheck, target.WorkingFolder(version), version, policy.HealthTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            Revert(target, state, version, previous, policy.Restart, removeVersion, $"the health check failed: {failure}");
        }
    }

    /// <summary>Switches back to <paramref name="previous"/>, rejects <paramref name="version"/>, restarts the previous version, and throws (exit 5).</summary>
    [DoesNotReturn]
    public void Revert(IInstallTarget target, TargetState state, string version, string? previous, string? restart, bool removeVersion, string why)
    {
        target.Switch(previous);
        if (removeVersion)
        {
            target.RemoveVersion(version);
        }

        state.Reject(version).Write(_disk, target.Layout);
        _transitions.Complete(target);
        var restarted = restart is not null && previous is not null ? ShellCommand.StartDetached(restart, target.WorkingFolder(previous), previous) : null;
        var detail = $"{version} was switched back to {previous ?? "nothing installed"}: {why}" + (restarted is null ? "." : $"; restarting {previous} failed too: {restarted}.");
        _audit.Record(target.Layout, new AuditRecord("health-check-failed", UpdateStage.Install, version, detail) { Code = ErrorCode.HealthCheckFailed });
        throw Error.Unhealthy(version, detail);
    }
}
