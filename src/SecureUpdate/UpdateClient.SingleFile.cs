using SecureUpdate.Install;
using SecureUpdate.Trust;

namespace SecureUpdate;

/// <content>Single-file targets (<see cref="ApplyRequest.SingleFile"/>).</content>
public sealed partial class UpdateClient
{
    /// <summary>Re-hashes a single-file target (<see cref="ApplyRequest.SingleFile"/>) against its signed manifest.</summary>
    /// <exception cref="NotInstalledException">Nothing is installed there.</exception>
    /// <exception cref="VerificationException">The file or its manifest does not verify.</exception>
    public async Task<VerifyResult> VerifyFileAsync(string file, TrustRoot trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(trust);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = TargetPaths.ForFile(file);
        using var targetLock = OpenFileTarget(paths);
        return await _singleFile.VerifyLockedAsync(paths, trust, CreateWaiver(paths), FailureFallback(paths), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts back the kept previous version of a single-file target, after verifying it.</summary>
    /// <exception cref="NotInstalledException">No kept previous version verifies.</exception>
    public async Task<RollbackResult> RollbackFileAsync(string file, TrustRoot? trust = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = TargetPaths.ForFile(file);
        using var targetLock = OpenFileTarget(paths);
        return await _singleFile.RollbackLockedAsync(paths, trust ?? LoadPinnedTrust(paths), CreateWaiver(paths), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads what a single-file target holds, without verifying it.</summary>
    public TargetStatus GetFileStatus(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var paths = TargetPaths.ForFile(file);
        if (!_fileSystem.Directory.Exists(paths.State))
        {
            return new TargetStatus(paths.File!, null, null, null, null, []);
        }

        TargetLock? targetLock = null;
        try
        {
            targetLock = TargetLock.Acquire(paths);
            _singleFile.Recover(paths);
        }
        catch (TargetLockedException)
        {
        }

        using var held = targetLock;
        var state = TargetState.Read(_fileSystem, paths);
        var current = _fileSystem.File.Exists(paths.File!) ? state?.Current : null;
        var kept = _fileSystem.Directory.EnumerateFiles(paths.State, "previous-*").Select(f => _fileSystem.Path.GetFileName(f)["previous-".Length..]);
        var installed = (current is null ? kept : kept.Where(k => k != current).Prepend(current)).ToList();
        return new TargetStatus(paths.File!, state?.App, state?.Channel, current, state?.Floor?.ToString(), installed, state?.Rejected);
    }

    private TargetLock OpenFileTarget(TargetPaths paths)
    {
        if (!_fileSystem.Directory.Exists(paths.State))
        {
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No version is installed at '{paths.File}'.");
        }

        return TargetLock.Acquire(paths);
    }
}
