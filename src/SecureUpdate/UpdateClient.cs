using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Diagnostics;
using SecureUpdate.Events;
using SecureUpdate.Formats;
using SecureUpdate.Feed;
using SecureUpdate.Install;
using SecureUpdate.IO;
using SecureUpdate.Manifests;
using SecureUpdate.Swap;
using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>
/// Checks a feed, verifies, stages and installs releases into a target folder, and re-verifies
/// what is installed. Every document follows DESIGN.md's verification order; nothing unverified
/// is parsed or placed where the app runs, and a failure leaves the target as it was.
/// </summary>
public sealed class UpdateClient
{
    private const string DefaultChannel = "stable";

    private static readonly TimeSpan s_lockWait = TimeSpan.FromSeconds(30);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly SecureUpdateOptions _options;
    private readonly ILogger _logger;
    private readonly SingleFileInstaller _singleFile;

    /// <summary>Creates a client.</summary>
    public UpdateClient(IHttpClientFactory httpClientFactory, IFileSystem fileSystem, TimeProvider timeProvider, SecureUpdateOptions options, ILogger<UpdateClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _singleFile = new SingleFileInstaller(fileSystem, timeProvider, options);
    }

    /// <summary>Installs or updates <see cref="ApplyRequest.Target"/> to the newest version of its channel.</summary>
    /// <exception cref="SecureUpdateException">Anything refused or failed; the target is as it was.</exception>
    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ValidateIdentifier(request.App, "app id");
        ValidateIdentifier(request.Channel, "channel");

        var paths = request.SingleFile ? TargetPaths.ForFile(request.Target) : new TargetPaths(request.Target);
        if (request.SingleFile)
        {
            _singleFile.CheckLocation(paths);
        }
        else if (_fileSystem.File.Exists(paths.Root))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target '{paths.Root}' is a file, not a folder.");
        }

        var createdTarget = !_fileSystem.Directory.Exists(paths.Root);
        var createdState = !_fileSystem.Directory.Exists(paths.State);
        using var feed = FeedSourceFactory.Create(request.Feed, _fileSystem, _httpClientFactory, _timeProvider, _options);
        try
        {
            if (createdTarget)
            {
                DiskOperations.CreateDirectory(paths.Root, DiskOperations.Executable);
            }

            if (createdState)
            {
                DiskOperations.CreateDirectory(paths.State, DiskOperations.OwnerOnlyDirectory);
            }

            using var targetLock = TargetLock.Acquire(paths);
            using var deadline = new CancellationTokenSource(_options.Deadline, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                return request.SingleFile
                    ? await _singleFile.ApplyLockedAsync(request, paths, feed, linked.Token).ConfigureAwait(false)
                    : await ApplyLockedAsync(request, paths, feed, linked.Token).ConfigureAwait(false);
            }
            catch (SecureUpdateException ex) when (ex is not TargetLockedException)
            {
                // Hard reset at update time: nothing staged survives (staging is always cleared) and current is kept.
                UpdateLog.Refused(_logger, ex.Stage, ex.Code, ex.Message);
                if (ex.Code != ErrorCode.HealthCheckFailed)
                {
                    EventLog.Append(paths, _timeProvider, ex is VerificationException ? "refused" : "failed", ex.Stage, ex.Code, null, ex.Message, FallbackMode.HardReset);
                }
                throw;
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TransportException(ErrorCode.Timeout, UpdateStage.Payload, $"The update did not finish within its deadline of {_options.Deadline}.", ex);
            }
        }
        catch (Exception ex) when ((createdTarget || createdState) && ex is not TargetLockedException)
        {
            // Leave the target exactly as it was: a first install that fails removes what it made.
            TryDelete(createdTarget ? paths.Root : paths.State);
            if (ex is SecureUpdateException or OperationCanceledException)
            {
                throw;
            }

            throw new InstallException(ErrorCode.InstallFailed, UpdateStage.Install, $"Installing failed and was undone: {ex.Message}", ex);
        }
    }

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
        return await _singleFile.VerifyLockedAsync(paths, trust, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts back the kept previous version of a single-file target, after verifying it.</summary>
    /// <exception cref="NotInstalledException">No kept previous version verifies.</exception>
    public async Task<RollbackResult> RollbackFileAsync(string file, TrustRoot? trust = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = TargetPaths.ForFile(file);
        using var targetLock = OpenFileTarget(paths);
        return await _singleFile.RollbackLockedAsync(paths, trust ?? LoadPinnedTrust(paths), cancellationToken).ConfigureAwait(false);
    }

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

        try
        {
            var manifest = InstalledManifest.Load(_fileSystem, paths, current, trust, _options.Limits);
            var bytes = await InstallationVerifier.VerifyFolderAsync(_fileSystem, manifest, paths.VersionFolder(current), _timeProvider, cancellationToken).ConfigureAwait(false);
            UpdateLog.Verified(_logger, current, manifest.Files.Count);
            return new VerifyResult(current, manifest.Files.Count, bytes);
        }
        catch (VerificationException ex)
        {
            // Hard reset (DESIGN.md, "Fallback modes"): go back to the newest installed version that still verifies.
            UpdateLog.VerifyFailed(_logger, ex.Code, ex.Message);
            EventLog.Append(paths, _timeProvider, "verify-failed", UpdateStage.Verify, ex.Code, current, ex.Message, FallbackMode.HardReset);
            var state = TargetState.Read(_fileSystem, paths);
            var reset = state is null ? null : await SwitchToNewestVerifiedBelowAsync(paths, operations, state, current, trust, "reset", FallbackMode.HardReset, cancellationToken).ConfigureAwait(false);
            if (reset is not null)
            {
                throw new VerificationException(ex.Code, UpdateStage.Verify, $"{ex.Message} Switched back to {reset}, the newest installed version that verifies.", ex);
            }

            EventLog.Append(paths, _timeProvider, "reinstall-needed", UpdateStage.Verify, ErrorCode.NotInstalled, current, "no installed version verifies", FallbackMode.HardReset);
            var hint = ex.Code == ErrorCode.Signature ? " (or --trust is not the trust root this target was installed with)" : "";
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"{ex.Message} No other installed version verifies: the target needs a reinstall{hint}.", ex);
        }
    }

    /// <summary>
    /// The check an app makes as it starts: re-verifies the installed version against its signed
    /// manifest and applies the hard-reset fallback, returning what happened instead of throwing
    /// for the expected outcomes. It reads every installed byte once; see <c>bench/startup.sh</c>.
    /// </summary>
    public async Task<StartupVerification> VerifyOnStartupAsync(string target, TrustRoot trust, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await VerifyAsync(target, trust, cancellationToken).ConfigureAwait(false);
            return new StartupVerification(StartupVerificationOutcome.Verified, result.Version, $"{result.Version} verifies ({result.FilesVerified} files).");
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
            var manifest = InstalledManifest.Load(_fileSystem, paths, staged, trust, _options.Limits);
            if (state.Floor is { } floor && manifest.Version < floor)
            {
                throw new VerificationException(ErrorCode.Downgrade, UpdateStage.Verify, $"The staged version {staged} is below {floor}, the lowest version this target may install.");
            }

            await InstallationVerifier.VerifyFolderAsync(_fileSystem, manifest, paths.VersionFolder(staged), _timeProvider, cancellationToken).ConfigureAwait(false);
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
            EventLog.Append(paths, _timeProvider, "awaiting-confirmation", UpdateStage.Install, null, version, $"switched from {previous ?? "nothing"}; waiting {window.TotalSeconds:0} s for the new version to confirm itself healthy");
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

            failure = "it was reverted while starting (boot counting)";
        }

        using (var targetLock = await OpenTargetAsync(paths, cancellationToken).ConfigureAwait(false))
        {
            var now = TargetState.Read(_fileSystem, paths);
            if (failure is not null && now?.Pending is { } stillPending && stillPending.Version == version)
            {
                RevertUnconfirmed(new TargetOperations(_fileSystem, paths, _timeProvider), now, stillPending, failure);
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
        var switched = await SwitchToNewestVerifiedBelowAsync(paths, operations, state, current, trust, "rolled-back", null, cancellationToken).ConfigureAwait(false);
        if (switched is not null)
        {
            return new RollbackResult(switched, current);
        }

        EventLog.Append(paths, _timeProvider, "rollback-failed", UpdateStage.Verify, ErrorCode.NotInstalled, current, "no earlier installed version verifies");
        throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No installed version below {current} verifies; nothing was switched.");
    }

    /// <summary>
    /// Switches (journaled) to the newest installed version below <paramref name="current"/> that
    /// verifies, rejects <paramref name="current"/>, and records <paramref name="eventName"/>; null when none verifies.
    /// </summary>
    private async Task<string?> SwitchToNewestVerifiedBelowAsync(TargetPaths paths, TargetOperations operations, TargetState state, string current, TrustRoot trust, string eventName, FallbackMode? fallback, CancellationToken cancellationToken)
    {
        var currentVersion = SemanticVersion.Parse(current);
        foreach (var candidate in InstalledVersions.List(_fileSystem, paths).Where(v => v < currentVersion))
        {
            var name = candidate.ToString();
            try
            {
                var manifest = InstalledManifest.Load(_fileSystem, paths, name, trust, _options.Limits);
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
            EventLog.Append(paths, _timeProvider, eventName, UpdateStage.Install, null, name, $"rolled back from {current} to {name}", fallback);
            return name;
        }

        return null;
    }

    /// <summary>Called by a new version once it is healthy: ends boot counting and commits the update.</summary>
    public async Task ConfirmHealthyAsync(string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(target);
        using var targetLock = await OpenTargetAsync(paths, cancellationToken).ConfigureAwait(false);
        var operations = new TargetOperations(_fileSystem, paths, _timeProvider);
        var state = TargetState.Read(_fileSystem, paths);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
        if (state?.Pending is { } pending && pending.Version == current)
        {
            (state.WithFloorAtLeast(SemanticVersion.Parse(current)) with { Pending = null }).Write(paths);
            operations.Prune(current, pending.Previous);
            EventLog.Append(paths, _timeProvider, "confirmed", UpdateStage.Install, null, current, "the new version confirmed itself healthy");
        }
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
        var operations = new TargetOperations(_fileSystem, paths, _timeProvider);
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

    /// <summary>
    /// Reads a target's audit events, oldest first, and checks their hash chain and head.
    /// <paramref name="broken"/> says where the log was edited, reordered or cut, or is null when intact.
    /// </summary>
    public IReadOnlyList<AuditEvent> ReadEvents(string target, bool singleFile, out string? broken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var paths = singleFile ? TargetPaths.ForFile(target) : new TargetPaths(target);
        if (!_fileSystem.Directory.Exists(paths.State))
        {
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"'{target}' has no SecureUpdate state.");
        }

        broken = EventLog.Verify(paths);
        return EventLog.Read(paths)
            .Where(e => e.Event is not null)
            .Select(e => new AuditEvent(e.Event!.Time, e.Event.Event, e.Event.Stage, e.Event.ErrorCode, e.Event.FallbackMode, e.Event.Version, e.Event.Detail))
            .ToList();
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
        return new TargetStatus(paths.File!, state?.App, state?.Channel, current, state?.Floor?.ToString(), installed);
    }

    /// <summary>Reads what <paramref name="target"/> holds, without verifying it.</summary>
    public TargetStatus GetStatus(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var paths = new TargetPaths(target);
        if (!_fileSystem.Directory.Exists(paths.Root))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target '{paths.Root}' does not exist.");
        }

        TargetLock? targetLock = null;
        try
        {
            // Status settles an interrupted operation first when it can; while another command
            // holds the lock it reports what is on disk now.
            targetLock = _fileSystem.Directory.Exists(paths.State) ? OpenTarget(paths, out _) : null;
        }
        catch (TargetLockedException)
        {
        }

        using var held = targetLock;
        var state = TargetState.Read(_fileSystem, paths);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
        var installed = InstalledVersions.List(_fileSystem, paths).Select(v => v.ToString()).ToList();
        return new TargetStatus(paths.Root, state?.App, state?.Channel, current, state?.Floor?.ToString(), installed);
    }

    private async Task<ApplyResult> ApplyLockedAsync(ApplyRequest request, TargetPaths paths, IFeedSource feed, CancellationToken cancellationToken)
    {
        var operations = new TargetOperations(_fileSystem, paths, _timeProvider);
        Settle(operations);
        var state = TargetState.Read(_fileSystem, paths);
        var app = request.App ?? state?.App
            ?? throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, "--app is required for the first install into a target.");
        if (state is not null && !string.Equals(state.App, app, StringComparison.Ordinal))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target holds app '{state.App}', not '{app}'.");
        }

        var channel = request.Channel ?? state?.Channel ?? DefaultChannel;
        state = (state ?? new TargetState(app, channel, null)) with { Channel = channel };
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
        var now = _timeProvider.GetUtcNow();
        UpdateLog.CheckingChannel(_logger, app, channel, request.Feed);

        var pointer = await ReleaseReader.ReadPointerAsync(feed, request.Trust, app, channel, now, state.Floor, cancellationToken).ConfigureAwait(false);
        var version = pointer.Version.ToString();
        if (string.Equals(current, version, StringComparison.Ordinal) || state.Rejected.Contains(version, StringComparer.Ordinal))
        {
            // A version rolled back from here is not installed again until a newer one is published.
            UpdateLog.AlreadyCurrent(_logger, app, version);
            return new ApplyResult(ApplyOutcome.Current, app, channel, current ?? version, current, 0, 0, 0);
        }

        var (manifest, manifestBytes, manifestSignatures) = await ReleaseReader.ReadManifestAsync(feed, request.Trust, pointer, now, _options.Limits, cancellationToken).ConfigureAwait(false);

        // Stage in a fresh owner-only folder under the target, reusing files already installed.
        DiskOperations.CreateDirectory(paths.Staging, DiskOperations.OwnerOnlyDirectory);
        var stagingFolder = Path.Combine(paths.Staging, Guid.NewGuid().ToString("N"));
        var stager = new ReleaseStager(_fileSystem, feed, _timeProvider, _options);
        UpdateLog.Staging(_logger, app, version, manifest.Files.Count, manifest.TotalSize);
        try
        {
            await stager.StageAsync(manifest, stagingFolder, CollectLocalCopies(paths, request.Trust), cancellationToken).ConfigureAwait(false);
            DiskOperations.WriteFileAtomic(paths.PinnedTrust, request.Trust.ToTrustFile(), DiskOperations.OwnerOnlyFile);
            Journal.Begin(paths, new JournalDocument
            {
                Schema = JournalDocument.SchemaName,
                Operation = request.StageOnly ? "stage" : "install",
                Version = version,
                Previous = current,
                CreatedVersion = true,
                AwaitingHealth = request.HealthCheck is not null,
            });
            operations.MoveIn(version, stagingFolder, manifestBytes, manifestSignatures);
            if (request.StageOnly)
            {
                state.Write(paths);
                Journal.Complete(paths);
                EventLog.Append(paths, _timeProvider, "staged", UpdateStage.Stage, null, version, $"staged {version}; current stays {current ?? "none"}");
                return new ApplyResult(ApplyOutcome.Staged, app, channel, version, current, stager.FilesDownloaded, stager.FilesReused, stager.BytesDownloaded);
            }

            operations.Switch(version);
            if (request.HealthCheck is not null)
            {
                await CheckHealthOrRevertAsync(operations, state, version, current, request.HealthCheck, request.HealthTimeout, restart: null, removeVersion: true, cancellationToken).ConfigureAwait(false);
            }

            Commit(operations, state, manifest.Version, current);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk, a permission problem: undo (or finish) exactly as crash recovery would.
            string? settled;
            try
            {
                settled = operations.Recover();
            }
            catch (Exception recoveryError) when (recoveryError is IOException or UnauthorizedAccessException or SecureUpdateException)
            {
                settled = $"recovery is pending until the next command ({recoveryError.Message})";
            }

            throw new InstallException(ErrorCode.InstallFailed, UpdateStage.Install, $"Installing {version} failed: {ex.Message.TrimEnd('.')}; {settled ?? "nothing was changed"}.", ex);
        }
        finally
        {
            TryDelete(paths.Staging);
        }

        UpdateLog.Switched(_logger, app, current, version, stager.FilesDownloaded, stager.FilesReused);
        return new ApplyResult(current is null ? ApplyOutcome.Installed : ApplyOutcome.Updated, app, channel, version, current, stager.FilesDownloaded, stager.FilesReused, stager.BytesDownloaded);
    }

    /// <summary>Raises the floor, prunes old versions and closes the journal: the switch to <paramref name="version"/> is final.</summary>
    private void Commit(TargetOperations operations, TargetState state, SemanticVersion version, string? previous)
    {
        (state.WithFloorAtLeast(version) with { Pending = null }).Write(operations.Paths);
        FaultInjection.Point("state-written");
        operations.Prune(version.ToString(), previous);
        Journal.Complete(operations.Paths);
        EventLog.Append(operations.Paths, _timeProvider, "installed", UpdateStage.Install, null, version.ToString(), $"switched from {previous ?? "nothing"} to {version}");
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
        EventLog.Append(operations.Paths, _timeProvider, "health-check-failed", UpdateStage.Install, ErrorCode.HealthCheckFailed, version, detail);
        throw new InstallException(ErrorCode.HealthCheckFailed, UpdateStage.Install, char.ToUpperInvariant(detail[0]) + detail[1..]);
    }

    /// <summary>
    /// Opens a target for a command: takes its lock, finishes or undoes an interrupted operation,
    /// and reverts a version whose health confirmation is overdue.
    /// </summary>
    private TargetLock OpenTarget(TargetPaths paths, out TargetOperations operations)
    {
        if (!_fileSystem.Directory.Exists(paths.State))
        {
            throw NothingInstalled(paths);
        }

        var targetLock = TargetLock.Acquire(paths);
        try
        {
            operations = new TargetOperations(_fileSystem, paths, _timeProvider);
            Settle(operations);
            return targetLock;
        }
        catch
        {
            targetLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="OpenTarget"/>, but waits (bounded) for the lock: an app confirming itself at
    /// start-up must not fail because a companion or a check holds the target for a moment.
    /// </summary>
    private async Task<TargetLock> OpenTargetAsync(TargetPaths paths, CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                return OpenTarget(paths, out _);
            }
            catch (TargetLockedException) when (_timeProvider.GetElapsedTime(start) < s_lockWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private TargetLock OpenFileTarget(TargetPaths paths)
    {
        if (!_fileSystem.Directory.Exists(paths.State))
        {
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No version is installed at '{paths.File}'.");
        }

        return TargetLock.Acquire(paths);
    }

    /// <summary>Finishes or undoes an interrupted operation, then reverts a version whose health confirmation is overdue.</summary>
    private void Settle(TargetOperations operations)
    {
        operations.Recover();
        var state = TargetState.Read(_fileSystem, operations.Paths);
        if (state?.Pending is { } pending && _timeProvider.GetUtcNow() >= pending.Deadline
            && InstalledVersions.ReadCurrent(_fileSystem, operations.Paths) == pending.Version)
        {
            RevertUnconfirmed(operations, state, pending, "it did not confirm itself healthy in time");
        }
    }

    private void RevertUnconfirmed(TargetOperations operations, TargetState state, PendingConfirmation pending, string why)
    {
        // "revert" names the version being left, so recovery can tell from `current` alone whether the switch back happened.
        Journal.Begin(operations.Paths, new JournalDocument { Schema = JournalDocument.SchemaName, Operation = "revert", Version = pending.Version, Previous = pending.Previous });
        operations.Switch(pending.Previous);
        (state.Reject(pending.Version) with { Pending = null }).Write(operations.Paths);
        Journal.Complete(operations.Paths);
        EventLog.Append(operations.Paths, _timeProvider, "reverted", UpdateStage.Install, ErrorCode.HealthCheckFailed, pending.Version, $"reverted {pending.Version} to {pending.Previous ?? "nothing"}: {why}");
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

    private TrustRoot LoadPinnedTrust(TargetPaths paths) =>
        _fileSystem.File.Exists(paths.PinnedTrust)
            ? TrustRoot.Load(_fileSystem, paths.PinnedTrust)
            : throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target '{paths.Root}' has no pinned trust root; pass --trust.");

    private static NotInstalledException NothingInstalled(TargetPaths paths) =>
        new(ErrorCode.NotInstalled, UpdateStage.Verify, $"No version is installed in '{paths.Root}'.");

    private Dictionary<string, string> CollectLocalCopies(TargetPaths paths, TrustRoot trust)
    {
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var installed in InstalledVersions.List(_fileSystem, paths))
        {
            var name = installed.ToString();
            var manifest = InstalledManifest.TryLoad(_fileSystem, paths, name, trust, _options.Limits);
            foreach (var file in manifest?.Files ?? [])
            {
                copies.TryAdd(file.Sha256Hex, Path.Combine(paths.VersionFolder(name), file.Path));
            }
        }

        return copies;
    }

    private void TryDelete(string path)
    {
        try
        {
            if (_fileSystem.Directory.Exists(path) && _fileSystem.FileInfo.New(path).LinkTarget is null)
            {
                _fileSystem.Directory.Delete(path, recursive: true);
            }
            else if (_fileSystem.File.Exists(path))
            {
                _fileSystem.File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: what is left is outside `current` and is cleared by the next run.
        }
    }

    private static void ValidateIdentifier(string? value, string what)
    {
        if (value is not null && !Identifiers.IsValid(value))
        {
            throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, $"The {what} '{DocumentParser.Printable(value)}' is not valid: use 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.");
        }
    }
}
