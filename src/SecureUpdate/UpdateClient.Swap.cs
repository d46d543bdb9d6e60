using SecureUpdate.Events;
using SecureUpdate.Formats;
using SecureUpdate.Install;
using SecureUpdate.Manifests;
using SecureUpdate.Swap;

namespace SecureUpdate;

/// <content>The companion's swap, health checks and health by confirmation (boot counting).</content>
public sealed partial class UpdateClient
{
    /// <summary>
    /// The companion's swap: waits (bounded) for the app to exit, re-verifies the newest staged
    /// version against its signed manifest, switches, restarts the app, and checks its health
    /// (a command, or the new version's own confirmation); on failure switches back and restarts the previous version.
    /// </summary>
    /// <exception cref="InstallException">The app did not exit, or the new version was not healthy (and was reverted).</exception>
    /// <exception cref="VerificationException">The staged version does not verify; nothing was switched.</exception>
    public async Task<ApplyResult> SwapAsync(SwapRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(request.Target);
        if (request.WaitPid is { } pid && !await ProcessWaiter.WaitForExitAsync(pid, request.WaitTimeout, _timeProvider, cancellationToken).ConfigureAwait(false))
        {
            throw new InstallException(ErrorCode.AppStillRunning, UpdateStage.Install, $"Process {pid} did not exit within {request.WaitTimeout.TotalSeconds:0} s; nothing was switched.");
        }

        string version;
        string? previous;
        TargetState state;
        PendingConfirmation pending;
        using (var targetLock = OpenTarget(paths, out var operations))
        {
            state = TargetState.Read(_fileSystem, paths) ?? throw NothingInstalled(paths);
            var trust = request.Trust ?? LoadPinnedTrust(paths);
            previous = InstalledVersions.ReadCurrent(_fileSystem, paths);
            var staged = NewestStaged(paths, state, previous);
            if (staged is null)
            {
                if (request.Restart is not null && previous is not null)
                {
                    ShellCommand.StartDetached(request.Restart, paths.VersionFolder(previous), previous);
                }

                return new ApplyResult(ApplyOutcome.Current, state.App, state.Channel, previous ?? "", previous, 0, 0, 0);
            }

            // Threat: check-then-use. The staged files are verified again right before the switch.
            ReleaseManifest manifest;
            try
            {
                manifest = InstalledManifest.Load(_fileSystem, paths, staged, trust, _options.Limits, CreateWaiver(paths));
                if (state.Floor is { } floor && manifest.Version < floor)
                {
                    throw new VerificationException(ErrorCode.Downgrade, UpdateStage.Verify, $"The staged version {staged} is below {floor}, the lowest version this target may install.");
                }

                await InstallationVerifier.VerifyFolderAsync(_fileSystem, manifest, paths.VersionFolder(staged), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (VerificationException ex) when (request.Restart is not null && previous is not null)
            {
                // Nothing is switched, and the app that exited for the swap must not stay down: start the version it ran.
                var restarted = ShellCommand.StartDetached(request.Restart, paths.VersionFolder(previous), previous);
                throw new VerificationException(ex.Code, ex.Stage, $"{ex.Message} Nothing was switched; {(restarted is null ? $"{previous} was restarted" : $"restarting {previous} failed: {restarted}")}.", ex);
            }
            version = staged;
            Journal.Begin(paths, new JournalDocument
            {
                Schema = JournalDocument.SchemaName,
                Operation = "install",
                Version = version,
                Previous = previous,
                AwaitingHealth = request.HealthCheck is not null || request.ConfirmWithin is not null,
            });
            operations.Switch(version);
            if (request.ConfirmWithin is not { } window)
            {
                var restartFailure = request.Restart is null ? null : ShellCommand.StartDetached(request.Restart, paths.VersionFolder(version), version);
                if (restartFailure is not null)
                {
                    // An app that cannot be started is not healthy: switch back exactly as a failed health check does.
                    Revert(operations, state, version, previous, request.Restart, removeVersion: false, $"the new version could not be restarted: {restartFailure}");
                }

                if (request.HealthCheck is not null)
                {
                    await CheckHealthOrRevertAsync(operations, state, version, previous, request.HealthCheck, request.HealthTimeout, request.Restart, removeVersion: false, cancellationToken).ConfigureAwait(false);
                }

                Commit(operations, state, manifest.Version, previous);
                return new ApplyResult(previous is null ? ApplyOutcome.Installed : ApplyOutcome.Updated, state.App, state.Channel, version, previous, 0, 0, 0);
            }

            // Health by confirmation: the state, not this process, carries the deadline, so a
            // crash of the companion still ends in a revert at the next start or command.
            pending = new PendingConfirmation(version, previous, _timeProvider.GetUtcNow() + window, request.ConfirmationStarts);
            state = state with { Pending = pending };
            state.Write(paths);
            Journal.Complete(paths);
            _audit.Record(paths, "awaiting-confirmation", UpdateStage.Install, null, version, $"switched from {previous ?? "nothing"}; waiting {window.TotalSeconds:0} s for the new version to confirm itself healthy");
        }

        // The app starts only now, with the lock released and the pending state written, so
        // that its first RecordStartAsync or ConfirmHealthyAsync finds both.
        var failure = request.Restart is null ? null : ShellCommand.StartDetached(request.Restart, paths.VersionFolder(version), version);
        while (failure is null && _timeProvider.GetUtcNow() < pending.Deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken).ConfigureAwait(false);
            var now = TargetState.Read(_fileSystem, paths);
            if (now?.Pending?.Version == version)
            {
                continue;
            }

            // No longer pending: confirmed, or reverted by boot counting in the meantime.
            if (InstalledVersions.ReadCurrent(_fileSystem, paths) == version && !(now?.Rejected.Contains(version, StringComparer.Ordinal) ?? false))
            {
                return new ApplyResult(previous is null ? ApplyOutcome.Installed : ApplyOutcome.Updated, state.App, state.Channel, version, previous, 0, 0, 0);
            }

            failure = "it was reverted while starting: it ran out of starts or reported itself unhealthy";
        }

        using (var targetLock = await OpenTargetAsync(paths, cancellationToken).ConfigureAwait(false))
        {
            var now = TargetState.Read(_fileSystem, paths);
            if (failure is not null && now?.Pending is { } stillPending && stillPending.Version == version)
            {
                RevertUnconfirmed(new TargetOperations(_fileSystem, paths, _audit), now, stillPending, failure);
            }

            // Opening the target reverted it if the confirmation is overdue; it may also have been confirmed at the last moment.
            if (failure is null && now is { Pending: null } && InstalledVersions.ReadCurrent(_fileSystem, paths) == version
                && !now.Rejected.Contains(version, StringComparer.Ordinal))
            {
                return new ApplyResult(previous is null ? ApplyOutcome.Installed : ApplyOutcome.Updated, state.App, state.Channel, version, previous, 0, 0, 0);
            }
        }

        if (request.Restart is not null && previous is not null)
        {
            _ = ShellCommand.StartDetached(request.Restart, paths.VersionFolder(previous), previous);
        }

        throw new InstallException(ErrorCode.HealthCheckFailed, UpdateStage.Install, $"{version} did not confirm itself healthy within {request.ConfirmWithin!.Value.TotalSeconds:0} s ({failure ?? "no confirmation"}); switched back to {previous ?? "nothing installed"}.");
    }

    /// <summary>Runs the health check; on failure switches back to <paramref name="previous"/>, rejects the version and throws (exit 5).</summary>
    private async Task CheckHealthOrRevertAsync(TargetOperations operations, TargetState state, string version, string? previous, string healthCheck, TimeSpan timeout, string? restart, bool removeVersion, CancellationToken cancellationToken)
    {
        var failure = await ShellCommand.RunAsync(healthCheck, operations.Paths.VersionFolder(version), version, timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            Revert(operations, state, version, previous, restart, removeVersion, $"the health check failed: {failure}");
        }
    }

    /// <summary>Switches back to <paramref name="previous"/>, rejects <paramref name="version"/>, restarts the previous version, and throws (exit 5).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Revert(TargetOperations operations, TargetState state, string version, string? previous, string? restart, bool removeVersion, string why)
    {
        operations.Switch(previous);
        if (removeVersion)
        {
            operations.RemoveVersion(version);
        }

        state.Reject(version).Write(operations.Paths);
        Journal.Complete(operations.Paths);
        var restarted = restart is not null && previous is not null ? ShellCommand.StartDetached(restart, operations.Paths.VersionFolder(previous), previous) : null;
        var detail = $"{version} was switched back to {previous ?? "nothing installed"}: {why}" + (restarted is null ? "." : $"; restarting {previous} failed too: {restarted}.");
        _audit.Record(operations.Paths, "health-check-failed", UpdateStage.Install, ErrorCode.HealthCheckFailed, version, detail);
        throw new InstallException(ErrorCode.HealthCheckFailed, UpdateStage.Install, char.ToUpperInvariant(detail[0]) + detail[1..]);
    }

    /// <summary>The newest version folder above current with a kept manifest and not rejected, or null.</summary>
    private string? NewestStaged(TargetPaths paths, TargetState state, string? current)
    {
        var currentVersion = current is null ? null : SemanticVersion.Parse(current);
        return InstalledVersions.List(_fileSystem, paths)
            .Where(v => currentVersion is null || v > currentVersion)
            .Select(v => v.ToString())
            .FirstOrDefault(v => !state.Rejected.Contains(v, StringComparer.Ordinal) && _fileSystem.File.Exists(paths.ManifestFile(v)));
    }

    /// <summary>Called by a new version once it is healthy: ends boot counting and commits the update.</summary>
    public async Task ConfirmHealthyAsync(string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(target);
        using var targetLock = await OpenTargetAsync(paths, cancellationToken).ConfigureAwait(false);
        var operations = new TargetOperations(_fileSystem, paths, _audit);
        var state = TargetState.Read(_fileSystem, paths);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
        if (state?.Pending is { } pending && pending.Version == current)
        {
            (state.WithFloorAtLeast(SemanticVersion.Parse(current)) with { Pending = null }).Write(paths);
            operations.Prune(current, pending.Previous);
            _audit.Record(paths, "confirmed", UpdateStage.Install, null, current, "the new version confirmed itself healthy");
        }
    }

    /// <summary>
    /// Called by a new version that finds itself unhealthy before confirming: reverts it now
    /// (switch back, reject it) instead of when the confirmation window runs out. Does nothing
    /// unless <paramref name="runningVersion"/> is current and awaiting confirmation.
    /// </summary>
    /// <returns>True when it was reverted.</returns>
    public async Task<bool> ReportUnhealthyAsync(string target, string runningVersion, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runningVersion);
        ArgumentNullException.ThrowIfNull(reason);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(target);
        using var targetLock = await OpenTargetAsync(paths, cancellationToken).ConfigureAwait(false);
        var state = TargetState.Read(_fileSystem, paths);
        if (state?.Pending is not { } pending || pending.Version != runningVersion || InstalledVersions.ReadCurrent(_fileSystem, paths) != runningVersion)
        {
            return false;
        }

        RevertUnconfirmed(new TargetOperations(_fileSystem, paths, _audit), state, pending, $"it reported itself unhealthy: {reason}");
        return true;
    }

    /// <summary>
    /// Called by an app as it starts, with its own version: counts the start against a pending
    /// confirmation and reverts when the version ran out of starts or time (boot counting).
    /// <see cref="StartupCheck.Reverted"/> means the target's current version is no longer
    /// <paramref name="runningVersion"/>: the app should exit so that the current one runs.
    /// </summary>
    public async Task<StartupCheck> RecordStartAsync(string target, string runningVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runningVersion);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(target);
        using var targetLock = await OpenTargetAsync(paths, cancellationToken).ConfigureAwait(false);
        var operations = new TargetOperations(_fileSystem, paths, _audit);
        var state = TargetState.Read(_fileSystem, paths);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
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
            RevertUnconfirmed(operations, state, pending, "it started too many times without confirming itself healthy");
            return StartupCheck.Reverted;
        }

        (state with { Pending = pending with { StartsLeft = pending.StartsLeft - 1 } }).Write(paths);
        return StartupCheck.AwaitingConfirmation;
    }

    private void RevertUnconfirmed(TargetOperations operations, TargetState state, PendingConfirmation pending, string why)
    {
        // "revert" names the version being left, so recovery can tell from `current` alone whether the switch back happened.
        Journal.Begin(operations.Paths, new JournalDocument { Schema = JournalDocument.SchemaName, Operation = "revert", Version = pending.Version, Previous = pending.Previous });
        operations.Switch(pending.Previous);
        (state.Reject(pending.Version) with { Pending = null }).Write(operations.Paths);
        Journal.Complete(operations.Paths);
        _audit.Record(operations.Paths, "reverted", UpdateStage.Install, ErrorCode.HealthCheckFailed, pending.Version, $"reverted {pending.Version} to {pending.Previous ?? "nothing"}: {why}");
    }
}
