using System.IO.Abstractions;
using SecureUpdate.Configuration;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Swap;

/// <summary>
/// The companion's swap, for an app that staged an update while it ran and is exiting:
/// 1. wait (bounded) for the app to exit;
/// 2. find the newest staged version;
/// 3. re-verify it against its signed manifest (threat: check-then-use);
/// 4. journal and switch;
/// 5. restart the app and judge its health, by a command or by the new version's own confirmation;
/// 6. on failure switch back and restart the previous version.
/// </summary>
internal sealed class Companion
{
    private static readonly TimeSpan s_confirmationPoll = TimeSpan.FromMilliseconds(100);

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly TargetAccess _access;
    private readonly TargetTransitions _transitions;
    private readonly HealthGate _health;
    private readonly IFallbackPolicy _fallback;
    private readonly IAuditTrail _audit;
    private readonly TimeProvider _timeProvider;
    private readonly SecureUpdateOptions _options;

    public Companion(IFileSystem fileSystem, DiskOperations disk, TargetAccess access, TargetTransitions transitions, HealthGate health, IFallbackPolicy fallback, IAuditTrail audit, TimeProvider timeProvider, SecureUpdateOptions options)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _access = access;
        _transitions = transitions;
        _health = health;
        _fallback = fallback;
        _audit = audit;
        _timeProvider = timeProvider;
        _options = options;
    }

    /// <summary>Runs the swap; see the class summary for the steps.</summary>
    /// <exception cref="InstallException">The app did not exit, or the new version was not healthy (and was reverted).</exception>
    /// <exception cref="VerificationException">The staged version does not verify; nothing was switched.</exception>
    public async Task<SwapOutcome> SwapAsync(IInstallTarget target, TrustRoot? trust, AppExit? app, HealthPolicy health, CancellationToken cancellationToken)
    {
        // 1. The app must be gone before its files change under it.
        if (app is not null && !await ProcessWaiter.WaitForExitAsync(app.Pid, app.Timeout, _timeProvider, cancellationToken).ConfigureAwait(false))
        {
            throw Error.AppStillRunning(app.Pid, app.Timeout);
        }

        string version;
        string? previous;
        TargetState state;
        PendingConfirmation pending;
        using (_access.Open(target))
        {
            state = TargetState.Read(_fileSystem, target.Layout) ?? throw Error.NothingInstalled(target.Location);
            var context = new TrustContext(PinnedTrust.ForInstalled(_fileSystem, target, trust), _fallback.CreateWaiver(target.Layout), TrustPurpose.Installed);
            previous = target.ReadCurrent(state);

            // 2. Nothing staged: nothing to switch, but the app that exited for the swap must not stay down.
            if (NewestStaged(target, state, previous) is not { } staged)
            {
                Restart(target, health.Restart, previous);
                return new SwapOutcome(false, state.App, state.Channel, previous, previous);
            }

            // 3. Re-verify right before the switch.
            var manifest = await VerifyStagedAsync(target, state, staged, context, health.Restart, previous, cancellationToken).ConfigureAwait(false);

            // 4. Journal and switch.
            version = staged;
            _transitions.Begin(target, TargetChange.Install, version, previous, awaitingHealth: health.AwaitsHealth);
            target.Switch(version);

            // 5. Health by command (or none): restart, check, commit.
            if (health.ConfirmWithin is not { } window)
            {
                if (health.Restart is not null && ShellCommand.StartDetached(health.Restart, target.WorkingFolder(version), version) is { } restartFailure)
                {
                    // An app that cannot be started is not healthy: switch back exactly as a failed health check does.
                    _health.Revert(target, state, version, previous, health.Restart, removeVersion: false, $"the new version could not be restarted: {restartFailure}");
                }

                await _health.CheckOrRevertAsync(target, state, version, previous, health, removeVersion: false, cancellationToken).ConfigureAwait(false);
                _transitions.Commit(target, state, manifest.Version, previous);
                return new SwapOutcome(true, state.App, state.Channel, version, previous);
            }

            // Health by confirmation: the state, not this process, carries the deadline, so a
            // crash of the companion still ends in a revert at the next start or command.
            pending = new PendingConfirmation(version, previous, _timeProvider.GetUtcNow() + window, health.ConfirmationStarts);
            state = state with { Pending = pending };
            state.Write(_disk, target.Layout);
            _transitions.Complete(target);
            _audit.Record(target.Layout, new AuditRecord("awaiting-confirmation", UpdateStage.Install, version, $"switched from {previous ?? "nothing"}; waiting {window.TotalSeconds:0} s for the new version to confirm itself healthy"));
        }

        return await AwaitConfirmationAsync(target, state, pending, health, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the new version only now, with the lock released and the pending state written, so
    /// that its first start or confirmation finds both; then waits for it to confirm itself.
    /// </summary>
    private async Task<SwapOutcome> AwaitConfirmationAsync(IInstallTarget target, TargetState state, PendingConfirmation pending, HealthPolicy health, CancellationToken cancellationToken)
    {
        var (version, previous) = (pending.Version, pending.Previous);
        var failure = health.Restart is null ? null : ShellCommand.StartDetached(health.Restart, target.WorkingFolder(version), version);
        while (failure is null && _timeProvider.GetUtcNow() < pending.Deadline)
        {
            await Task.Delay(s_confirmationPoll, _timeProvider, cancellationToken).ConfigureAwait(false);
            var now = TargetState.Read(_fileSystem, target.Layout);
            if (now?.Pending?.Version == version)
            {
                continue;
            }

            // No longer pending: confirmed, or reverted by boot counting in the meantime.
            if (IsConfirmed(target, now, version))
            {
                return new SwapOutcome(true, state.App, state.Channel, version, previous);
            }

            failure = "it was reverted while starting: it ran out of starts or reported itself unhealthy";
        }

        using (await _access.OpenWaitingAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var now = TargetState.Read(_fileSystem, target.Layout);
            if (failure is not null && now?.Pending is { } stillPending && stillPending.Version == version)
            {
                _transitions.RevertUnconfirmed(target, now, stillPending, failure);
            }

            // Opening the target reverted it if the confirmation is overdue; it may also have been confirmed at the last moment.
            if (failure is null && now is { Pending: null } && IsConfirmed(target, now, version))
            {
                return new SwapOutcome(true, state.App, state.Channel, version, previous);
            }
        }

        Restart(target, health.Restart, previous);
        throw Error.Unhealthy(version, $"{version} did not confirm itself healthy within {health.ConfirmWithin!.Value.TotalSeconds:0} s ({failure ?? "no confirmation"}); switched back to {previous ?? "nothing installed"}.");
    }

    private static bool IsConfirmed(IInstallTarget target, TargetState? state, string version) =>
        target.ReadCurrent(state) == version && !(state?.IsRejected(version) ?? false);

    /// <summary>Verifies the staged version against its kept manifest and the floor; when it does not verify, nothing is switched and the version the app ran is started again.</summary>
    private async Task<ReleaseManifest> VerifyStagedAsync(IInstallTarget target, TargetState state, string staged, TrustContext trust, string? restart, string? previous, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = InstalledManifest.Load(_fileSystem, target.Layout, staged, trust, _options.Limits);
            if (state.Floor is { } floor && manifest.Version < floor)
            {
                throw Error.Downgrade(UpdateStage.Verify, staged, floor.ToString(), staged: true);
            }

            await target.VerifyVersionAsync(staged, manifest, state, cancellationToken).ConfigureAwait(false);
            return manifest;
        }
        catch (VerificationException ex) when (restart is not null && previous is not null)
        {
            var restarted = ShellCommand.StartDetached(restart, target.WorkingFolder(previous), previous);
            throw Error.StagedNotSwitched(ex, restarted is null ? $"{previous} was restarted" : $"restarting {previous} failed: {restarted}");
        }
    }

    /// <summary>The newest version above current with a kept manifest and not rejected, or null.</summary>
    private string? NewestStaged(IInstallTarget target, TargetState state, string? current)
    {
        var currentVersion = current is null ? null : SemanticVersion.Parse(current);
        return target.ListVersions(state)
            .Where(v => currentVersion is null || v > currentVersion)
            .Where(v => !state.IsRejected(v))
            .Select(v => v.ToString())
            .FirstOrDefault(v => _fileSystem.File.Exists(target.Layout.ManifestFile(v)));
    }

    private static void Restart(IInstallTarget target, string? restart, string? version)
    {
        if (restart is not null && version is not null)
        {
            _ = ShellCommand.StartDetached(restart, target.WorkingFolder(version), version);
        }
    }
}
