using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// How every operation opens a target: its layout checked on disk (<see cref="TargetSafety"/>,
/// threat: local footholds), its exclusive lock (threat: two updaters at once), then settling it,
/// that is finishing or undoing what a dead process left in the journal and reverting a version
/// whose health confirmation is overdue. Nothing reads a target unsettled, except a target on a
/// read-only file system, which is read as it is and never written.
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
    private readonly TargetSafety _safety;

    public TargetAccess(IFileSystem fileSystem, DiskOperations disk, TimeProvider timeProvider, IAuditTrail audit, TargetTransitions transitions)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _timeProvider = timeProvider;
        _audit = audit;
        _transitions = transitions;
        _safety = new TargetSafety(disk);
    }

    /// <summary>Whether the target has a state folder (something was ever installed there).</summary>
    public bool HasState(IInstallTarget target) => _fileSystem.Directory.Exists(target.Layout.State);

    /// <summary>Checks every entry of the target's layout on disk (<see cref="TargetSafety"/>); every command does, before anything else.</summary>
    /// <exception cref="ConfigurationException">An entry is a symlink, a special file, on another file system, or writable by others.</exception>
    public void CheckLayout(IInstallTarget target) => _safety.CheckLayout(target.Layout);

    /// <summary>Takes the target's lock at once.</summary>
    /// <exception cref="TargetLockedException">Another command holds it.</exception>
    /// <exception cref="ConfigurationException">The target is unsafe, or on a read-only file system.</exception>
    public FileLock Lock(IInstallTarget target)
    {
        CheckWritable(target);
        return _disk.TryLock(target.Layout.Lock) ?? throw Error.Locked(target.Location);
    }

    /// <summary>Takes the target's lock when it is free at once, or returns null (also on a read-only file system, where nothing is written).</summary>
    public FileLock? TryLockAtOnce(IInstallTarget target)
    {
        if (_disk.IsOnReadOnlyFileSystem(target.Layout.State))
        {
            return null;
        }

        CheckLayout(target);
        return _disk.TryLock(target.Layout.Lock);
    }

    /// <summary>Takes the target's lock, waiting (bounded) while another command holds it.</summary>
    /// <exception cref="TargetLockedException">It stayed held.</exception>
    public async Task<FileLock> LockWaitingAsync(IInstallTarget target, CancellationToken cancellationToken)
    {
        CheckWritable(target);
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

    /// <summary>
    /// Opens an installed target to read it (verify, status): like <see cref="Open"/>, except on a
    /// read-only file system (read-only media), where no lock can be taken and nothing may be
    /// written: then it returns null without settling, and when <paramref name="requireSettled"/>
    /// refuses a target that would need settling, instead of reporting a state that is not final.
    /// </summary>
    /// <exception cref="NotInstalledException">Nothing was ever installed there.</exception>
    public FileLock? OpenForReading(IInstallTarget target, bool requireSettled)
    {
        if (!HasState(target))
        {
            throw Error.NothingInstalled(target.Location);
        }

        if (!_disk.IsOnReadOnlyFileSystem(target.Layout.State))
        {
            return Open(target);
        }

        CheckLayout(target);
        if (requireSettled && _fileSystem.File.Exists(target.Layout.Journal))
        {
            throw Error.ReadOnlyUnsettled(target.Location, "an interrupted operation must be finished or undone first");
        }

        var state = TargetState.Read(_fileSystem, target.Layout);
        if (requireSettled && state?.Pending is { } pending && _timeProvider.GetUtcNow() >= pending.Deadline && target.ReadCurrent(state) == pending.Version)
        {
            throw Error.ReadOnlyUnsettled(target.Location, $"{pending.Version} did not confirm itself healthy in time and must be reverted first");
        }

        return null;
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

    /// <summary>The highest folder of <paramref name="path"/> that does not exist (<paramref name="path"/> itself when only it is missing), or null when it exists.</summary>
    private string? TopmostMissing(string path)
    {
        string? topmost = null;
        for (var folder = path; folder is not null && _disk.Inspect(folder).Kind == LayoutEntryKind.Missing; folder = Path.GetDirectoryName(folder))
        {
            topmost = folder;
        }

        return topmost;
    }

    /// <summary>Refuses a target on a read-only file system (nothing can change there), then checks its layout.</summary>
    private void CheckWritable(IInstallTarget target)
    {
        if (_disk.IsOnReadOnlyFileSystem(target.Layout.State) || _disk.IsOnReadOnlyFileSystem(target.Layout.Root))
        {
            throw Error.ReadOnlyTarget(target.Location);
        }

        CheckLayout(target);
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
    /// Creates the target's folder (and the parent folders it needs) and its owner-only state folder
    /// where they are missing, for a first install; returns the one path a failed first install
    /// must remove again to take away exactly what this run made (the topmost folder it created), or null.
    /// </summary>
    /// <exception cref="ConfigurationException">The target is unsafe, or on a read-only file system.</exception>
    public string? CreateForFirstInstall(IInstallTarget target)
    {
        CheckLayout(target);
        var topmostMissing = TopmostMissing(target.Layout.Root);
        var createdState = !_fileSystem.Directory.Exists(target.Layout.State);
        if (topmostMissing is null && !createdState)
        {
            return null;
        }

        // The nearest folder that exists decides whether anything can be created at all.
        var existing = Path.GetDirectoryName(topmostMissing ?? target.Layout.State)!;
        if (_disk.IsOnReadOnlyFileSystem(existing))
        {
            throw Error.ReadOnlyTarget(target.Location);
        }

        if (topmostMissing is not null)
        {
            _disk.CreateDirectory(target.Layout.Root, DiskOperations.Executable);
        }

        if (createdState)
        {
            _disk.CreateDirectory(target.Layout.State, DiskOperations.OwnerOnlyDirectory);
        }

        return topmostMissing ?? target.Layout.State;
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
