using SecureUpdate.Diagnostics;
using SecureUpdate.Events;
using SecureUpdate.Fallback;
using SecureUpdate.Formats;
using SecureUpdate.Install;
using SecureUpdate.Manifests;
using SecureUpdate.Trust;

namespace SecureUpdate;

/// <content>Verification of what is installed, the hard-reset fallback, and rollback.</content>
public sealed partial class UpdateClient
{
    /// <summary>Re-hashes the current version of <paramref name="target"/> against its signed manifest.</summary>
    /// <exception cref="NotInstalledException">Nothing is installed.</exception>
    /// <exception cref="VerificationException">The installed files or manifest do not verify.</exception>
    public async Task<VerifyResult> VerifyAsync(string target, TrustRoot trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trust);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(target);
        using var targetLock = OpenTarget(paths, out var operations);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths) ?? throw NothingInstalled(paths);
        var waiver = CreateWaiver(paths);

        try
        {
            var manifest = InstalledManifest.Load(_fileSystem, paths, current, trust, _options.Limits, waiver);
            var bytes = await InstallationVerifier.VerifyFolderAsync(_fileSystem, manifest, paths.VersionFolder(current), _timeProvider, cancellationToken).ConfigureAwait(false);
            UpdateLog.Verified(_logger, current, manifest.Files.Count);
            return new VerifyResult(current, manifest.Files.Count, bytes);
        }
        catch (VerificationException ex)
        {
            UpdateLog.VerifyFailed(_logger, ex.Code, ex.Message);
            var (action, note) = FailureFallback(paths);
            _audit.Record(paths, "verify-failed", UpdateStage.Verify, ex.Code, current, ex.Message + note, action);
            if (action == FallbackMode.DebugShell)
            {
                throw new VerificationException(ex.Code, UpdateStage.Verify, ex.Message + note, ex) { LeftForDebugShell = true };
            }

            // Hard reset (DESIGN.md, "Fallback modes"): go back to the newest installed version that still verifies.
            var state = TargetState.Read(_fileSystem, paths);
            var reset = state is null ? null : await SwitchToNewestVerifiedBelowAsync(paths, operations, state, current, trust, waiver, "reset", FallbackMode.HardReset, cancellationToken).ConfigureAwait(false);
            if (reset is not null)
            {
                throw new VerificationException(ex.Code, UpdateStage.Verify, $"{ex.Message} Switched back to {reset}, the newest installed version that verifies.", ex);
            }

            _audit.Record(paths, "reinstall-needed", UpdateStage.Verify, ErrorCode.NotInstalled, current, "no installed version verifies", FallbackMode.HardReset);
            var hint = ex.Code == ErrorCode.Signature ? " (or --trust is not the trust root this target was installed with)" : "";
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"{ex.Message} No other installed version verifies: the target needs a reinstall{hint}.", ex);
        }
    }

    /// <summary>
    /// The check an app makes as it starts: re-verifies the installed version against its signed
    /// manifest and applies the configured fallback, returning what happened instead of throwing
    /// for the expected outcomes. It reads every installed byte once; see <c>bench/startup.sh</c>.
    /// </summary>
    /// <exception cref="ConfigurationException">The hash-allowlist file is missing or not owner-only.</exception>
    public async Task<StartupVerification> VerifyOnStartupAsync(string target, TrustRoot trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            var result = await VerifyAsync(target, trust, cancellationToken).ConfigureAwait(false);
            return new StartupVerification(StartupVerificationOutcome.Verified, result.Version, $"{result.Version} verifies ({result.FilesVerified} files).");
        }
        catch (VerificationException ex) when (ex.LeftForDebugShell)
        {
            return new StartupVerification(StartupVerificationOutcome.DebugShell, InstalledVersions.ReadCurrent(_fileSystem, new TargetPaths(target)), ex.Message);
        }
        catch (VerificationException ex)
        {
            var current = InstalledVersions.ReadCurrent(_fileSystem, new TargetPaths(target));
            return new StartupVerification(StartupVerificationOutcome.Reset, current, ex.Message);
        }
        catch (NotInstalledException ex)
        {
            return new StartupVerification(StartupVerificationOutcome.ReinstallNeeded, null, ex.Message);
        }
    }

    /// <summary>Switches to the newest installed version below the current one that verifies; the version left is not installed again automatically.</summary>
    /// <exception cref="NotInstalledException">No earlier installed version verifies.</exception>
    public async Task<RollbackResult> RollbackAsync(string target, TrustRoot? trust = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(target);
        using var targetLock = OpenTarget(paths, out var operations);
        var state = TargetState.Read(_fileSystem, paths) ?? throw NothingInstalled(paths);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths) ?? throw NothingInstalled(paths);
        trust ??= LoadPinnedTrust(paths);
        var switched = await SwitchToNewestVerifiedBelowAsync(paths, operations, state, current, trust, CreateWaiver(paths), "rolled-back", null, cancellationToken).ConfigureAwait(false);
        if (switched is not null)
        {
            return new RollbackResult(switched, current);
        }

        _audit.Record(paths, "rollback-failed", UpdateStage.Verify, ErrorCode.NotInstalled, current, "no earlier installed version verifies");
        throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No installed version below {current} verifies; nothing was switched.");
    }

    /// <summary>
    /// Switches (journaled) to the newest installed version below <paramref name="current"/> that
    /// verifies, rejects <paramref name="current"/>, and records <paramref name="eventName"/>; null when none verifies.
    /// </summary>
    private async Task<string?> SwitchToNewestVerifiedBelowAsync(TargetPaths paths, TargetOperations operations, TargetState state, string current, TrustRoot trust, SignatureWaiver? waiver, string eventName, FallbackMode? fallback, CancellationToken cancellationToken)
    {
        var currentVersion = SemanticVersion.Parse(current);
        foreach (var candidate in InstalledVersions.List(_fileSystem, paths).Where(v => v < currentVersion))
        {
            var name = candidate.ToString();
            try
            {
                var manifest = InstalledManifest.Load(_fileSystem, paths, name, trust, _options.Limits, waiver);
                await InstallationVerifier.VerifyFolderAsync(_fileSystem, manifest, paths.VersionFolder(name), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (VerificationException ex)
            {
                UpdateLog.VerifyFailed(_logger, ex.Code, ex.Message);
                continue;
            }

            Journal.Begin(paths, new JournalDocument { Schema = JournalDocument.SchemaName, Operation = "rollback", Version = name, Previous = current });
            operations.Switch(name);
            (state.Reject(current) with { Pending = null }).Write(paths);
            Journal.Complete(paths);
            _audit.Record(paths, eventName, UpdateStage.Install, null, name, $"rolled back from {current} to {name}", fallback);
            return name;
        }

        return null;
    }
}
