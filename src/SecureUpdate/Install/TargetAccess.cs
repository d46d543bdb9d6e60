using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// How every operation opens a target: its exclusive lock (threat: two updaters at once), then
/// settling it, that is finishing or undoing what a dead process left in the journal and reverting
/// a version whose health confirmation is overdue. Nothing reads a target unsettled.
/// </summary>
internal sealed class TargetAccess
{
    /// <summary>How long calls that must not fail on a brief overlap (an app confirming itself at start-up) wait for the lock.</summary>
    private static readonly TimeSpan s_lockWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_lockPoll = TimeSpan.FromMilliseconds(50);

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly TimeProvider _timeProvider;
    private readonly IAuditTrail _audit;
    private readonly TargetTransitions _transitions;

    public TargetAccess(IFileSystem fileSystem, DiskOperations disk, TimeProvider timeProvider, IAuditTrail audit, TargetTransitions transitions)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _timeProvider = timeProvider;
        _audit = audit;
        _transitions = transitions;
    }

    /// <summary>Whether the target has a state folder (something was ever installed there).</summary>
    public bool HasState(IInstallTarget target) => _fileSystem.Directory.Exists(target.Layout.State);

    /// <summary>Takes the target's lock at once.</summary>
    /// <exception cref="TargetLockedException">Another command holds it.</exception>
    public FileLock Lock(IInstallTarget target) =>
        _disk.TryLock(target.Layout.Lock) ?? throw Error.Locked(target.Location);

    /// <summary>Takes the target's lock when it is free at once, or returns null.</summary>
    public FileLock? TryLockAtOnce(IInstallTarget target) => _disk.TryLock(target.Layout.Lock);

    /// <summary>Takes the target's lock, waiting (bounded) while another command holds it.</summary>
    /// <exception cref="TargetLockedException">It stayed held.</exception>
    public async Task<FileLock> LockWaitingAsync(IInstallTarget target, CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        while (true)
        {
            if (_disk.TryLock(target.Layout.Lock) is { } held)
            {
                return held;
            }

            if (_timeProvider.GetElapsedTime(start) >= s_lockWait)
            {
                throw Error.Locked(target.Location);
            }

            await Task.Delay(s_lockPoll, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens an installed target: takes its lock and settles it.</summary>
    /// <exception cref="NotInstalledException">Nothing was ever installed there.</exception>
    public FileLock Open(IInstallTarget target)
    {
        var held = HasState(target) ? Lock(target) : throw Error.NothingInstalled(target.Location);
        return SettleHolding(target, held);
    }

    /// <summary>Like <see cref="Open"/>, but waits (bounded) for the lock.</summary>
    public async Task<FileLock> OpenWaitingAsync(IInstallTarget target, CancellationToken cancellationToken)
    {
        var held = HasState(target) ? await LockWaitingAsync(target, cancellationToken).ConfigureAwait(false) : throw Error.NothingInstalled(target.Location);
        return SettleHolding(target, held);
    }

    /// <summary>Finishes or undoes an interrupted operation, then reverts a version whose health confirmation is overdue. The caller holds the lock.</summary>
    public void Settle(IInstallTarget target)
    {
        Recover(target);

        var state = TargetState.Read(_fileSystem, target.Layout);
        if (state?.Pending is { } pending && _timeProvider.GetUtcNow() >= pending.Deadline && target.ReadCurrent(state) == pending.Version)
        {
            _transitions.RevertUnconfirmed(target, state, pending, "it did not confirm itself healthy in time");
        }
    }

    /// <summary>Finishes or undoes the operation a dead process left in the journal, and records what was done; null when there was nothing to do. The caller holds the lock.</summary>
    public string? Recover(IInstallTarget target)
    {
        if (target.Recover() is not { } recovery)
        {
            return null;
        }

        _audit.Record(target.Layout, new AuditRecord("recovered", UpdateStage.Install, recovery.Version, recovery.Outcome));
        return recovery.Outcome;
    }

    private FileLock SettleHolding(IInstallTarget target, FileLock held)
    {
        try
        {
            Settle(target);
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the target's folder and its owner-only state folder where they are missing, for a
    /// first install; returns what a failed first install must remove again, or null.
    /// </summary>
    public string? CreateForFirstInstall(IInstallTarget target)
    {
        var createdRoot = !_fileSystem.Directory.Exists(target.Layout.Root);
        var createdState = !_fileSystem.Directory.Exists(target.Layout.State);
        if (createdRoot)
        {
            _disk.CreateDirectory(target.Layout.Root, DiskOperations.Executable);
        }

        if (createdState)
        {
            _disk.CreateDirectory(target.Layout.State, DiskOperations.OwnerOnlyDirectory);
        }

        return createdRoot ? target.Layout.Root : createdState ? target.Layout.State : null;
    }

    /// <summary>Recovery right after an install failed on an I/O error, as a phrase for the message; never throws.</summary>
    public string RecoverAfterFailure(IInstallTarget target)
    {
        try
        {
            return Recover(target) ?? "nothing was changed";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecureUpdateException)
        {
            return $"recovery is pending until the next command ({ex.Message})";
        }
    }

    /// <summary>Removes a folder or file the operation made (never following a symlink); best effort.</summary>
    public void RemoveQuietly(string path)
    {
        try
        {
            _fileSystem.DeletePath(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: what is left is outside the app's files and is cleared by the next run.
        }
    }
}
