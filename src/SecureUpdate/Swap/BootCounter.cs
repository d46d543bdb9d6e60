using System.IO.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;

namespace SecureUpdate.Swap;

/// <summary>
/// Health by confirmation, from the new version's side: it counts its starts against the pending
/// confirmation the companion wrote, and then confirms itself healthy or reports itself unhealthy.
/// A version that runs out of starts or time is reverted, by whichever process gets there first.
/// </summary>
internal sealed class BootCounter
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly TargetAccess _access;
    private readonly TargetTransitions _transitions;
    private readonly IAuditTrail _audit;

    public BootCounter(IFileSystem fileSystem, DiskOperations disk, TargetAccess access, TargetTransitions transitions, IAuditTrail audit)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _access = access;
        _transitions = transitions;
        _audit = audit;
    }

    /// <summary>Counts a start of <paramref name="runningVersion"/>; reverts it when it ran out of starts.</summary>
    public async Task<StartupCheck> RecordStartAsync(IInstallTarget target, string runningVersion, CancellationToken cancellationToken)
    {
        using var held = await _access.OpenWaitingAsync(target, cancellationToken).ConfigureAwait(false);
        var state = TargetState.Read(_fileSystem, target.Layout);
        var current = target.ReadCurrent(state);
        if (!string.Equals(current, runningVersion, StringComparison.Ordinal))
        {
            return StartupCheck.Reverted;
        }

        if (state?.Pending is not { } pending || pending.Version != current)
        {
            return StartupCheck.Committed;
        }

        if (pending.StartsLeft <= 0)
        {
            _transitions.RevertUnconfirmed(target, state, pending, "it started too many times without confirming itself healthy");
            return StartupCheck.Reverted;
        }

        (state with { Pending = pending with { StartsLeft = pending.StartsLeft - 1 } }).Write(_disk, target.Layout);
        return StartupCheck.AwaitingConfirmation;
    }

    /// <summary>Ends boot counting for the current version and commits the update.</summary>
    public async Task ConfirmHealthyAsync(IInstallTarget target, CancellationToken cancellationToken)
    {
        using var held = await _access.OpenWaitingAsync(target, cancellationToken).ConfigureAwait(false);
        var state = TargetState.Read(_fileSystem, target.Layout);
        var current = target.ReadCurrent(state);
        if (state?.Pending is { } pending && current is not null && pending.Version == current)
        {
            (state.WithFloorAtLeast(SemanticVersion.Parse(current)) with { Pending = null }).Write(_disk, target.Layout);
            target.Prune(current, pending.Previous);
            _audit.Record(target.Layout, new AuditRecord("confirmed", UpdateStage.Install, current, "the new version confirmed itself healthy"));
        }
    }

    /// <summary>Reverts <paramref name="runningVersion"/> now when it is current and awaiting confirmation; true when it was reverted.</summary>
    public async Task<bool> ReportUnhealthyAsync(IInstallTarget target, string runningVersion, string reason, CancellationToken cancellationToken)
    {
        using var held = await _access.OpenWaitingAsync(target, cancellationToken).ConfigureAwait(false);
        var state = TargetState.Read(_fileSystem, target.Layout);
        if (state?.Pending is not { } pending || pending.Version != runningVersion || target.ReadCurrent(state) != runningVersion)
        {
            return false;
        }

        _transitions.RevertUnconfirmed(target, state, pending, $"it reported itself unhealthy: {reason}");
        return true;
    }
}
