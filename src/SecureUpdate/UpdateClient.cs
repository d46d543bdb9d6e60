using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Configuration;
using SecureUpdate.Diagnostics;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Events;
using SecureUpdate.Fallback;
using SecureUpdate.Feed;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Staging;
using SecureUpdate.Swap;
using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>
/// Checks a feed, verifies, stages and installs releases into a <see cref="Target"/>, re-verifies
/// what is installed, and performs the companion's swap. Each operation is a short list of steps
/// whose work lives in the layers below (docs/architecture.md); every document is verified in the
/// same order (cap → SHA-256 → signatures → parse → policy), nothing unverified is parsed or placed
/// where the app runs, and a failure leaves the target as it was.
/// </summary>
public sealed class UpdateClient
{
    private const string DefaultChannel = "stable";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly SecureUpdateOptions _options;
    private readonly ILogger _logger;
    private readonly DiskOperations _disk;
    private readonly Journal _journal;
    private readonly InstallationVerifier _verifier;
    private readonly EventLog _eventLog;
    private readonly AuditTrail _audit;
    private readonly TargetTransitions _transitions;
    private readonly TargetAccess _access;
    private readonly HealthGate _health;
    private readonly DebugShellGate _debugShell;
    private readonly FallbackPolicy _fallback;
    private readonly Companion _companion;
    private readonly BootCounter _bootCounter;

    /// <summary>Creates a client.</summary>
    public UpdateClient(IHttpClientFactory httpClientFactory, IFileSystem fileSystem, TimeProvider timeProvider, SecureUpdateOptions options, ILogger<UpdateClient>? logger = null)
        : this(httpClientFactory, fileSystem, timeProvider, options, new DiskOperations(), logger)
    {
    }

    /// <summary>Creates a client that does its durable disk work through <paramref name="disk"/>.</summary>
    internal UpdateClient(IHttpClientFactory httpClientFactory, IFileSystem fileSystem, TimeProvider timeProvider, SecureUpdateOptions options, DiskOperations disk, ILogger<UpdateClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(disk);
        DurationLimits.Check(options);
        _httpClientFactory = httpClientFactory;
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _disk = disk;
        _journal = new Journal(fileSystem, disk);
        _verifier = new InstallationVerifier(fileSystem, disk, timeProvider);
        _eventLog = new EventLog(fileSystem, disk, timeProvider);
        _audit = new AuditTrail(_eventLog, _logger);
        _transitions = new TargetTransitions(fileSystem, disk, _journal, _audit, options, _logger);
        _access = new TargetAccess(fileSystem, disk, timeProvider, _audit, _transitions);
        _health = new HealthGate(disk, _transitions, _audit, timeProvider);
        _debugShell = new DebugShellGate(fileSystem, disk, name => EnvironmentLookup(name));
        _fallback = new FallbackPolicy(options, disk, timeProvider, _audit, _debugShell, _transitions, _logger);
        _companion = new Companion(fileSystem, disk, _access, _transitions, _health, _fallback, _audit, timeProvider, options);
        _bootCounter = new BootCounter(fileSystem, disk, _access, _transitions, _audit);
    }

    /// <summary>Reads environment variables; tests replace it to decide debug-shell without touching the process.</summary>
    internal Func<string, string?> EnvironmentLookup { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Installs or updates <see cref="ApplyRequest.Target"/> to the newest version of its channel:
    /// check the request → create the target on first install → lock and settle → read the channel
    /// pointer → read the manifest → stage → place (journaled) → switch → health → commit.
    /// </summary>
    /// <exception cref="SecureUpdateException">Anything refused or failed; the target is as it was.</exception>
    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        // 1. Everything that can be refused without touching the target or the feed is refused first
        //    (a bad allowlist included).
        var target = Open(request.Target);
        CheckRequest(request, target);
        target.CheckLocation();
        var waiver = _fallback.CreateWaiver(target.Layout);
        using var feed = FeedSourceFactory.Create(FeedLocations.Of(request.Feed, request.Feeds), _fileSystem, _httpClientFactory, _timeProvider, _options, _logger);

        // 2. A first install creates the target; if it fails, what it made is removed again. A target
        //    that cannot even be created (under /proc, a missing parent) is a configuration mistake.
        string? created;
        try
        {
            created = _access.CreateForFirstInstall(target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.TargetUncreatable(target.Location, ex);
        }

        try
        {
            var result = await ApplyLockedAsync(request, target, feed, waiver, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == ApplyOutcome.NotInRollout && created is not null)
            {
                // Nothing was installed: a first install that this host does not take leaves no target behind.
                _access.RemoveQuietly(created);
            }

            return result;
        }
        catch (Exception ex) when (created is not null && ex is not TargetLockedException)
        {
            _access.RemoveQuietly(created);
            throw ex is SecureUpdateException or OperationCanceledException ? ex : Error.FirstInstallUndone(target.Location, ex);
        }
    }

    /// <summary>
    /// Asks the feed whether a newer version is available for <see cref="UpdateCheckRequest.Target"/>,
    /// verifying the channel pointer as <see cref="ApplyAsync"/> does. With the previous check's
    /// <see cref="UpdateCheck.ETag"/> an unchanged pointer costs one small 304 response. Nothing on
    /// disk changes.
    /// </summary>
    /// <exception cref="SecureUpdateException">The pointer does not verify, or the feed cannot be read.</exception>
    public async Task<UpdateCheck> CheckForUpdateAsync(UpdateCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        CheckIdentifiers(request.App, request.Channel);
        var target = Open(request.Target);
        var state = _access.HasState(target) ? TargetState.Read(_fileSystem, target.Layout) : null;
        var app = request.App ?? state?.App ?? throw Error.AppRequiredToCheck(target.Location);
        var channel = request.Channel ?? state?.Channel ?? DefaultChannel;
        var current = state is null ? null : target.ReadCurrent(state);
        var waiver = _fallback.CreateWaiver(target.Layout);

        using var feed = FeedSourceFactory.Create(FeedLocations.Of(request.Feed, request.Feeds), _fileSystem, _httpClientFactory, _timeProvider, _options, _logger);

        // An unchanged pointer costs one small 304 and nothing else: with nothing new offered there
        // is nothing to verify, so the trust chain is walked only when the pointer changed.
        var document = await ReleaseReader.FetchPointerIfChangedAsync(feed, app, channel, request.ETag, cancellationToken).ConfigureAwait(false);
        if (document.Bytes is not { } bytes)
        {
            return new UpdateCheck(UpdateCheckOutcome.NotModified, null, current, null, document.ETag);
        }

        var walk = await WalkTrustAsync(target, request.Trust, replace: false, feed, cancellationToken).ConfigureAwait(false);
        var reader = new ReleaseReader(feed, new TrustContext(walk.Newest, waiver, TrustPurpose.NewRelease), _options.Limits, _timeProvider.GetUtcNow());
        var pointer = await reader.VerifyPointerAsync(app, channel, state?.Floor, bytes, cancellationToken).ConfigureAwait(false);
        var etag = document.ETag;
        if (walk.Steps.Count > 0 && state is not null && _access.TryLockAtOnce(target) is { } held)
        {
            // A rotation the check verified is pinned now when nothing else holds the target; otherwise the next apply does it.
            using (held)
            {
                PinTrust(target, walk, replace: false);
            }
        }
        var version = pointer.Version.ToString();
        var outcome = IsCurrentOrRejected(pointer.Version, current, state)
            ? UpdateCheckOutcome.NoUpdate
            : request.HostId is { } hostId && !RolloutBucket.Includes(hostId, app, version, pointer.RolloutPercent)
                ? UpdateCheckOutcome.NotInRollout
                : UpdateCheckOutcome.Available;
        return new UpdateCheck(outcome, version, current, pointer.RolloutPercent, etag, pointer.Expires);
    }

    /// <summary>
    /// Re-hashes the current version of <paramref name="target"/> against its signed manifest. When
    /// it does not verify, the configured fallback acts: hard-reset switches back to the newest
    /// installed version that verifies; debug-shell, when permitted, leaves the target as it is.
    /// On a read-only file system it verifies without the lock and writes nothing: no fallback acts.
    /// </summary>
    /// <exception cref="NotInstalledException">Nothing is installed, or no installed version verifies.</exception>
    /// <exception cref="VerificationException">The current version does not verify (and what the fallback did).</exception>
    public async Task<VerifyResult> VerifyAsync(Target target, TrustRoot trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trust);
        cancellationToken.ThrowIfCancellationRequested();
        var installed = Open(target);

        // Read-only media verify without the lock (null), and nothing is written there.
        using var held = _access.OpenForReading(installed, requireSettled: true);
        var state = TargetState.Read(_fileSystem, installed.Layout);
        var current = installed.ReadCurrent(state) ?? throw Error.NothingInstalled(installed.Location);
        var context = new TrustContext(PinnedTrust.ForInstalled(_fileSystem, installed, trust), _fallback.CreateWaiver(installed.Layout), TrustPurpose.Installed);
        try
        {
            var manifest = InstalledManifest.Load(_fileSystem, installed.Layout, current, context, _options.Limits);
            var bytes = await installed.VerifyVersionAsync(current, manifest, state, cancellationToken).ConfigureAwait(false);
            UpdateLog.Verified(_logger, current, manifest.Files.Count);
            return new VerifyResult(current, manifest.Files.Count, bytes);
        }
        catch (VerificationException ex) when (held is null)
        {
            throw Error.NotResetReadOnly(ex);
        }
        catch (VerificationException ex)
        {
            throw await _fallback.HandleVerificationFailureAsync(installed, state, current, context, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The check an app makes as it starts: <see cref="VerifyAsync"/> with the configured fallback,
    /// returning what happened instead of throwing for the expected outcomes. It reads every installed
    /// byte once; see <c>bench/startup.sh</c>.
    /// </summary>
    /// <exception cref="ConfigurationException">The hash-allowlist file is missing or not owner-only.</exception>
    /// <exception cref="VerificationException">
    /// <paramref name="trust"/> is neither the target's pinned root nor an earlier root of its chain
    /// (<see cref="ErrorCode.TrustMismatch"/>); nothing was checked or changed.
    /// </exception>
    public async Task<StartupVerification> VerifyOnStartupAsync(Target target, TrustRoot trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            var result = await VerifyAsync(target, trust, cancellationToken).ConfigureAwait(false);
            return new StartupVerification(StartupVerificationOutcome.Verified, result.Version, $"{result.Version} verifies ({result.FilesVerified} files).");
        }
        catch (VerificationException ex) when (ex.Code != ErrorCode.TrustMismatch)
        {
            // A trust mismatch changed nothing and no fallback ran: it is the caller's to fix, not a reset.
            var installed = Open(target);
            var current = installed.ReadCurrent(TargetState.Read(_fileSystem, installed.Layout));
            return new StartupVerification(ex.LeftForDebugShell ? StartupVerificationOutcome.DebugShell : StartupVerificationOutcome.Reset, current, ex.Message);
        }
        catch (NotInstalledException ex)
        {
            return new StartupVerification(StartupVerificationOutcome.ReinstallNeeded, null, ex.Message);
        }
    }

    /// <summary>Switches to the newest installed version below the current one that verifies; the version left is not installed again automatically.</summary>
    /// <param name="target">The target.</param>
    /// <param name="trust">The trust root; null uses the one the target was installed with.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="NotInstalledException">No earlier installed version verifies.</exception>
    public async Task<RollbackResult> RollbackAsync(Target target, TrustRoot? trust = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        var installed = Open(target);
        using var held = _access.Open(installed);
        var state = TargetState.Read(_fileSystem, installed.Layout) ?? throw Error.NothingInstalled(installed.Location);
        var current = installed.ReadCurrent(state) ?? throw Error.NothingInstalled(installed.Location);
        var context = new TrustContext(PinnedTrust.ForInstalled(_fileSystem, installed, trust), _fallback.CreateWaiver(installed.Layout), TrustPurpose.Installed);
        var switched = await _transitions.RollBackToNewestVerifiedAsync(installed, state, current, context, "rolled-back", null, cancellationToken).ConfigureAwait(false);
        if (switched is not null)
        {
            return new RollbackResult(switched, current);
        }

        _audit.Record(installed.Layout, new AuditRecord("rollback-failed", UpdateStage.Verify, current, "no earlier installed version verifies") { Code = ErrorCode.NotInstalled });
        throw Error.NothingToRollBackTo(installed.Location, current);
    }

    /// <summary>
    /// Reads what <paramref name="target"/> holds, without verifying it. It settles an interrupted
    /// operation first when it can; while another command holds the target it reports what is on disk now.
    /// </summary>
    /// <exception cref="NotInstalledException">Nothing is installed there: the target does not exist or has no state (as for every other operation on an installed target).</exception>
    /// <exception cref="ConfigurationException">Damaged state.</exception>
    public TargetStatus GetStatus(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var installed = Open(target);
        if (!_access.HasState(installed))
        {
            throw Error.NothingInstalled(installed.Location);
        }

        installed.CheckExists();
        FileLock? held = null;
        try
        {
            held = _access.HasState(installed) ? _access.OpenForReading(installed, requireSettled: false) : null;
        }
        catch (TargetLockedException)
        {
        }

        using (held)
        {
            var state = TargetState.Read(_fileSystem, installed.Layout);
            var versions = installed.ListVersions(state).Select(v => v.ToString()).ToList();
            var pinned = _access.HasState(installed) ? PinnedTrust.TryLoad(_fileSystem, installed) : null;
            return new TargetStatus(installed.Location, state?.App, state?.Channel, installed.ReadCurrent(state), state?.Floor?.ToString(), versions, state?.Rejected, state?.Pending?.Version, state?.Pending?.Deadline)
            {
                TrustVersion = pinned?.Version,
            };
        }
    }

    /// <summary>The trust root <paramref name="target"/> verifies with: the newest root of its chain it has accepted.</summary>
    /// <exception cref="NotInstalledException">The target has no state.</exception>
    /// <exception cref="ConfigurationException">It has no pinned trust root, or it is not valid.</exception>
    public TrustRoot GetPinnedTrust(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var installed = Open(target);
        return _access.HasState(installed) ? PinnedTrust.Load(_fileSystem, installed) : throw Error.NoState(installed.Location);
    }

    /// <summary>Reads a target's audit events, oldest first, and checks their hash chain and head.</summary>
    /// <remarks>Holds every event in memory; <see cref="EnumerateEvents"/> and <see cref="VerifyEvents"/> stream a log of any size.</remarks>
    /// <exception cref="NotInstalledException">The target has no state.</exception>
    public AuditLog ReadEvents(Target target)
    {
        var broken = VerifyEvents(target);
        return new AuditLog([.. EnumerateEvents(target)], broken);
    }

    /// <summary>
    /// Checks a target's audit log, streaming it with bounded memory: the hash chain, the head, no
    /// line over 64 KiB, and, when a version is installed, that the log is there at all.
    /// </summary>
    /// <returns>Null when the log is intact; else where it breaks, as a phrase.</returns>
    /// <exception cref="NotInstalledException">The target has no state.</exception>
    public string? VerifyEvents(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var installed = OpenForEvents(target);
        return _eventLog.Verify(installed.Layout, HasInstalledVersion(installed));
    }

    /// <summary>
    /// A target's audit events, oldest first, read lazily line by line (bounded memory for a log of
    /// any size); lines that are not events are left out, and reading stops at a line over 64 KiB.
    /// </summary>
    /// <exception cref="NotInstalledException">The target has no state.</exception>
    public IEnumerable<AuditEvent> EnumerateEvents(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var installed = OpenForEvents(target);
        return _eventLog.Read(installed.Layout)
            .Where(e => e.Event is not null)
            .Select(e => new AuditEvent(e.Event!.Time, e.Event.Event, e.Event.Stage, e.Event.ErrorCode, e.Event.ErrorName, e.Event.FallbackMode, e.Event.Version, e.Event.Detail));
    }

    private IInstallTarget OpenForEvents(Target target)
    {
        var installed = Open(target);
        return _access.HasState(installed) ? installed : throw Error.NoState(installed.Location);
    }

    /// <summary>Whether the target holds a version; when its state cannot be read, it is assumed to, so that a missing log is not excused.</summary>
    private bool HasInstalledVersion(IInstallTarget target)
    {
        try
        {
            var state = TargetState.Read(_fileSystem, target.Layout);
            return target.ReadCurrent(state) is not null || target.ListVersions(state).Count > 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecureUpdateException)
        {
            return true;
        }
    }

    /// <summary>
    /// Whether debug-shell may open for <paramref name="target"/>: <c>SECURE_UPDATE_DEBUG=1</c> and a
    /// file <c>debug-allowed</c> in the target's state folder that is owned by the current user or
    /// root and not writable by group or others.
    /// </summary>
    public DebugShellAvailability CheckDebugShell(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new DebugShellAvailability(_debugShell.WhyNotPermitted(Open(target).Layout));
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
        CheckSwapRequest(request);
        var app = request.WaitPid is { } pid ? new AppExit(pid, request.WaitTimeout) : null;
        var health = new HealthPolicy(request.HealthCheck, request.HealthTimeout, request.Restart, request.ConfirmWithin, request.ConfirmationStarts);
        var swap = await _companion.SwapAsync(Open(request.Target), request.Trust, app, health, cancellationToken).ConfigureAwait(false);
        var outcome = !swap.Switched ? ApplyOutcome.Current : swap.Previous is null ? ApplyOutcome.Installed : ApplyOutcome.Updated;
        return new ApplyResult(outcome, swap.App, swap.Channel, swap.Version ?? "", swap.Previous, 0, 0, 0);
    }

    /// <summary>Called by a new version once it is healthy: ends boot counting and commits the update.</summary>
    public Task ConfirmHealthyAsync(Target target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        return _bootCounter.ConfirmHealthyAsync(Open(target), cancellationToken);
    }

    /// <summary>
    /// Called by a new version that finds itself unhealthy before confirming: reverts it now
    /// (switch back, reject it) instead of when the confirmation window runs out. Does nothing
    /// unless <paramref name="runningVersion"/> is current and awaiting confirmation.
    /// </summary>
    /// <returns>True when it was reverted.</returns>
    public Task<bool> ReportUnhealthyAsync(Target target, string runningVersion, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runningVersion);
        ArgumentNullException.ThrowIfNull(reason);
        cancellationToken.ThrowIfCancellationRequested();
        return _bootCounter.ReportUnhealthyAsync(Open(target), runningVersion, reason, cancellationToken);
    }

    /// <summary>
    /// Called by an app as it starts, with its own version: counts the start against a pending
    /// confirmation and reverts when the version ran out of starts or time (boot counting).
    /// <see cref="StartupCheck.Reverted"/> means the target's current version is no longer
    /// <paramref name="runningVersion"/>: the app should exit so that the current one runs.
    /// </summary>
    public Task<StartupCheck> RecordStartAsync(Target target, string runningVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runningVersion);
        cancellationToken.ThrowIfCancellationRequested();
        return _bootCounter.RecordStartAsync(Open(target), runningVersion, cancellationToken);
    }

    /// <summary>
    /// Records a line entered at the debug-shell prompt, under the target's lock, before it runs:
    /// a command that cannot be recorded is not run.
    /// </summary>
    /// <exception cref="TargetLockedException">The target stayed busy.</exception>
    internal async Task RecordDebugShellCommandAsync(Target target, string entered, string? refusal, CancellationToken cancellationToken)
    {
        var installed = Open(target);
        using var held = await _access.LockWaitingAsync(installed, cancellationToken).ConfigureAwait(false);
        var current = installed.ReadCurrent(TargetState.Read(_fileSystem, installed.Layout));
        var detail = refusal is null ? $"entered '{entered}'" : $"entered '{entered}': refused, {refusal}";
        _audit.Record(installed.Layout, new AuditRecord("debug-shell-command", UpdateStage.Maintenance, current, detail) { Code = refusal is null ? null : ErrorCode.Usage, Fallback = FallbackMode.DebugShell });
    }

    /// <summary>Steps 3–10 of <see cref="ApplyAsync"/>, under the target's lock and the overall deadline; refusals and failures are audit events.</summary>
    private async Task<ApplyResult> ApplyLockedAsync(ApplyRequest request, IInstallTarget target, IFeedSource feed, ISignatureWaiver? waiver, CancellationToken cancellationToken)
    {
        using var held = _access.Lock(target);
        using var deadline = new CancellationTokenSource(_options.Deadline, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await InstallAsync(request, target, feed, waiver, linked.Token).ConfigureAwait(false);
        }
        catch (SecureUpdateException ex)
        {
            // Hard reset at update time: nothing staged survives (staging is always cleared) and
            // current is kept. With debug-shell permitted, the same holds; the caller may then open the prompt.
            UpdateLog.Refused(_logger, ex.Stage, ex.Code, ex.Message);
            if (ex.Code != ErrorCode.HealthCheckFailed)
            {
                var action = ex is VerificationException ? _fallback.OnVerificationFailure(target.Layout) : FailureAction.HardReset;
                _audit.Record(target.Layout, new AuditRecord(ex is VerificationException ? "refused" : "failed", ex.Stage, null, ex.Message + action.Note) { Code = ex.Code, Fallback = action.Mode });
            }

            throw;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Error.DeadlinePassed(_options.Deadline, ex);
        }
    }

    /// <summary>Whether <paramref name="offered"/> has the precedence of the current version or of a rejected one (SemVer 2.0 section 10: build metadata ignored).</summary>
    private static bool IsCurrentOrRejected(SemanticVersion offered, string? current, TargetState? state) =>
        (current is not null && SemanticVersion.TryParse(current, out var installed) && installed == offered) || (state?.IsRejected(offered) ?? false);

    private async Task<ApplyResult> InstallAsync(ApplyRequest request, IInstallTarget target, IFeedSource feed, ISignatureWaiver? waiver, CancellationToken cancellationToken)
    {
        // 3. Settle what a dead process left; read what the target holds.
        _access.Settle(target);
        var state = TargetState.Read(_fileSystem, target.Layout);
        var app = request.App ?? state?.App ?? throw Error.AppRequired(target.Location);
        if (state is not null && !string.Equals(state.App, app, StringComparison.Ordinal))
        {
            throw Error.OtherApp(target.Location, state.App, app);
        }

        var channel = request.Channel ?? state?.Channel ?? DefaultChannel;
        state = (state ?? new TargetState(app, channel, null)) with { Channel = channel };
        var current = target.ReadCurrent(state);

        // 4. The trust chain: from the pinned root (or, on a first install, the one given) to the newest the feed serves.
        var walk = await WalkTrustAsync(target, request.Trust, request.ReplaceTrust, feed, cancellationToken).ConfigureAwait(false);
        var trust = new TrustContext(walk.Newest, waiver, TrustPurpose.NewRelease);

        // 5. The channel pointer: is there anything new for this target and this host?
        // The feed carries no credentials here: FeedSourceFactory refused a URL with userinfo.
        var feeds = FeedLocations.Describe(FeedLocations.Of(request.Feed, request.Feeds));
        UpdateLog.CheckingChannel(_logger, app, channel, feeds);
        var reader = new ReleaseReader(feed, trust, _options.Limits, _timeProvider.GetUtcNow());
        var pointer = await reader.ReadPointerAsync(app, channel, state.Floor, cancellationToken).ConfigureAwait(false);
        var version = pointer.Version.ToString();
        if (IsCurrentOrRejected(pointer.Version, current, state))
        {
            // A version rolled back from here is not installed again until a newer one is published;
            // by precedence, so another build of the same version (1.1.0+b over 1.1.0+a) is not newer.
            UpdateLog.AlreadyCurrent(_logger, app, version);
            PinTrust(target, walk, request.ReplaceTrust);
            return new ApplyResult(ApplyOutcome.Current, app, channel, current ?? version, current, 0, 0, 0);
        }

        if (request.HostId is { } hostId && !RolloutBucket.Includes(hostId, app, version, pointer.RolloutPercent))
        {
            PinTrust(target, walk, request.ReplaceTrust);
            return new ApplyResult(ApplyOutcome.NotInRollout, app, channel, version, current, 0, 0, 0);
        }

        // 6. The manifest the pointer binds. Meanwhile the installed manifests are read, verified and parsed on
        // another thread (which of their files could be reused): both are CPU work on independent bytes.
        var reusable = Task.Run(() => InstalledManifest.ReusableFiles(_fileSystem, target, state, trust.Root, _options.Limits), cancellationToken);
        FetchedManifest fetched;
        try
        {
            fetched = await reader.ReadManifestAsync(pointer, cancellationToken).ConfigureAwait(false);
            target.CheckRelease(fetched.Manifest);
        }
        catch
        {
            await ((Task)reusable).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        // 7–11. Stage in a fresh owner-only folder under the target, then place, switch, judge, commit.
        _disk.CreateDirectory(target.Layout.Staging, DiskOperations.OwnerOnlyDirectory);
        var stagingFolder = Path.Combine(target.Layout.Staging, Guid.NewGuid().ToString("N"));
        var stager = new ReleaseStager(_fileSystem, _disk, feed, _timeProvider, _options) { PartialFolder = target.Layout.Partials };
        UpdateLog.Staging(_logger, app, version, fetched.Manifest.Files.Count, fetched.Manifest.TotalSize);
        try
        {
            var localCopies = await reusable.ConfigureAwait(false);
            await stager.StageAsync(fetched.Manifest, stagingFolder, localCopies, ProgressReporter(request.Progress, fetched.Manifest), cancellationToken).ConfigureAwait(false);
            PinTrust(target, walk, request.ReplaceTrust);
            _transitions.Begin(target, request.StageOnly ? TargetChange.Stage : TargetChange.Install, version, current, createdVersion: true, awaitingHealth: request.HealthCheck is not null);
            target.Place(version, current, stagingFolder, fetched, state);
            if (target.KeptUnmanaged is { } kept)
            {
                _audit.Record(target.Layout, new AuditRecord("kept-unmanaged", UpdateStage.Install, version, $"the file that was there before the first install is kept as '{kept}'"));
            }

            if (request.StageOnly)
            {
                state.Write(_disk, target.Layout);
                _transitions.Complete(target);
                _audit.Record(target.Layout, new AuditRecord("staged", UpdateStage.Stage, version, $"staged {version}; current stays {current ?? "none"}"));
                return new ApplyResult(ApplyOutcome.Staged, app, channel, version, current, stager.FilesDownloaded, stager.FilesReused, stager.BytesDownloaded);
            }

            target.Switch(version);
            await _health.CheckOrRevertAsync(target, state, version, current, new HealthPolicy(request.HealthCheck, request.HealthTimeout), removeVersion: true, cancellationToken).ConfigureAwait(false);
            _transitions.Commit(target, state, fetched.Manifest.Version, current);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk, a permission problem: undo (or finish) exactly as crash recovery would.
            throw Error.InstallFailed(version, target.Location, ex.Message, _access.RecoverAfterFailure(target), ex);
        }
        finally
        {
            _access.RemoveQuietly(target.Layout.Staging);
        }

        UpdateLog.Switched(_logger, app, current, version, stager.FilesDownloaded, stager.FilesReused);
        return new ApplyResult(current is null ? ApplyOutcome.Installed : ApplyOutcome.Updated, app, channel, version, current, stager.FilesDownloaded, stager.FilesReused, stager.BytesDownloaded);
    }

    /// <summary>
    /// Walks the feed's trust chain from the target's pinned root (or, on a first install or when
    /// re-provisioning, from <paramref name="given"/>) and checks that <paramref name="given"/> belongs
    /// to the target's chain: the pinned root, an earlier one, or a newer one just verified.
    /// </summary>
    private async Task<TrustWalk> WalkTrustAsync(IInstallTarget target, TrustRoot given, bool replace, IFeedSource feed, CancellationToken cancellationToken)
    {
        var pinned = replace || !_access.HasState(target) ? null : PinnedTrust.TryLoad(_fileSystem, target);
        var walk = await new TrustChainReader(feed, _timeProvider.GetUtcNow()).WalkAsync(pinned ?? given, cancellationToken).ConfigureAwait(false);
        if (pinned is not null && !PinnedTrust.IsContinuous(_fileSystem, target, pinned, given, walk.Steps))
        {
            throw Error.TrustMismatch(target.Location, given.Version, pinned.Version);
        }

        return walk;
    }

    /// <summary>
    /// Pins the newest root the walk verified, when the target does not hold it yet; re-provisioning
    /// replaces the chain. The caller holds the lock.
    /// </summary>
    private void PinTrust(IInstallTarget target, TrustWalk walk, bool replace)
    {
        var pinned = replace ? null : PinnedTrust.TryLoad(_fileSystem, target);
        if (pinned is not null && pinned.IsSameAs(walk.Newest) && _fileSystem.File.Exists(target.Layout.RootFile(pinned.Version)))
        {
            return;
        }

        // A check walks without the lock: if an apply pinned a newer root, or re-provisioned, meanwhile,
        // this walk is stale and pinning it would move trust backwards. The next walk starts from the new pin.
        if (pinned is not null && !pinned.IsSameAs(walk.Start))
        {
            return;
        }

        PinnedTrust.Pin(_disk, _fileSystem, target, walk.Start, walk.Steps, walk.Newest, replace);
        if (replace)
        {
            _audit.Record(target.Layout, new AuditRecord("trust-replaced", UpdateStage.Trust, null, $"the pinned trust root was replaced on purpose by root {walk.Start.Version}; now trusting root {walk.Newest.Version}"));
        }
        else if (walk.Steps.Count > 0)
        {
            _audit.Record(target.Layout, new AuditRecord("trust-updated", UpdateStage.Trust, null, $"trust root rotated from {walk.Start.Version} to {walk.Newest.Version}"));
        }
    }

    /// <summary>The kind of target for a request's <see cref="Target"/>, its layout on disk checked (every command starts here).</summary>
    /// <exception cref="ConfigurationException">An entry of its layout is unsafe (a symlink, a special file, writable by others, …).</exception>
    private IInstallTarget Open(Target target)
    {
        IInstallTarget opened = target.Kind == TargetKind.File
            ? new FileTarget(target.Path, _fileSystem, _disk, _journal, _verifier, _options.Limits)
            : new FolderTarget(target.Path, _fileSystem, _disk, _journal, _verifier);
        _access.CheckLayout(opened);
        return opened;
    }

    private static void CheckRequest(ApplyRequest request, IInstallTarget target)
    {
        CheckIdentifiers(request.App, request.Channel);
        DurationLimits.Check(request.HealthTimeout, DurationLimits.MaxTimer, nameof(ApplyRequest.HealthTimeout));
        if (!target.CanStage && request.StageOnly)
        {
            throw Error.NotForThisTarget("Staging without switching", target.Location, nameof(ApplyRequest.StageOnly));
        }

        if (!target.CanStage && request.HealthCheck is not null)
        {
            throw Error.NotForThisTarget("A health check", target.Location, nameof(ApplyRequest.HealthCheck));
        }
    }

    /// <summary>Refuses a swap request that cannot work before anything is waited for or switched.</summary>
    private static void CheckSwapRequest(SwapRequest request)
    {
        if (request.WaitPid is <= 0)
        {
            throw Error.WaitPidInvalid(request.WaitPid.Value);
        }

        DurationLimits.Check(request.WaitTimeout, DurationLimits.MaxTimer, nameof(SwapRequest.WaitTimeout));
        DurationLimits.Check(request.HealthTimeout, DurationLimits.MaxTimer, nameof(SwapRequest.HealthTimeout));
        if (request.ConfirmWithin is { } window)
        {
            DurationLimits.Check(window, DurationLimits.MaxClock, nameof(SwapRequest.ConfirmWithin));
        }
    }

    private static void CheckIdentifiers(string? app, string? channel)
    {
        if (app is not null && !Identifiers.IsValid(app))
        {
            throw Error.InvalidIdentifier("app id", app, "App");
        }

        if (channel is not null && !Identifiers.IsValid(channel))
        {
            throw Error.InvalidIdentifier("channel", channel, "Channel");
        }
    }

    /// <summary>Byte-level staging progress reported through <paramref name="progress"/> at a bounded rate; null when nobody listens.</summary>
    private StagingProgress? ProgressReporter(IProgress<UpdateProgress>? progress, ReleaseManifest manifest)
    {
        if (progress is null)
        {
            return null;
        }

        var version = manifest.Version.ToString();
        var filesTotal = manifest.Files.Count;
        var bytesTotal = manifest.TotalSize;
        return new StagingProgress(_timeProvider, StagingProgress.DefaultInterval, snapshot => progress.Report(
            new UpdateProgress(version, snapshot.FilesDone, filesTotal, snapshot.BytesDone, bytesTotal)
            {
                InFlight = [.. snapshot.InFlight.Select(file => new FileProgress(file.Path, file.BytesDone, file.Size))],
            }));
    }
}
