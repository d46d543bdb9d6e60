using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Diagnostics;
using SecureUpdate.Events;
using SecureUpdate.Fallback;
using SecureUpdate.Feed;
using SecureUpdate.Formats;
using SecureUpdate.Install;
using SecureUpdate.IO;
using SecureUpdate.Manifests;
using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>
/// Checks a feed, verifies, stages and installs releases into a target folder, and re-verifies
/// what is installed. Every document follows DESIGN.md's verification order; nothing unverified
/// is parsed or placed where the app runs, and a failure leaves the target as it was.
/// </summary>
public sealed partial class UpdateClient
{
    private const string DefaultChannel = "stable";

    private static readonly TimeSpan s_lockWait = TimeSpan.FromSeconds(30);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly SecureUpdateOptions _options;
    private readonly ILogger _logger;
    private readonly SingleFileInstaller _singleFile;
    private readonly AuditTrail _audit;

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
        _audit = new AuditTrail(timeProvider, _logger);
        _singleFile = new SingleFileInstaller(fileSystem, timeProvider, options, _audit);
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

        // A bad allowlist is a usage error found before anything is created or fetched.
        var waiver = CreateWaiver(paths);
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

            var targetLock = TargetLock.Acquire(paths);
            ApplyResult result;
            using var deadline = new CancellationTokenSource(_options.Deadline, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                result = request.SingleFile
                    ? await _singleFile.ApplyLockedAsync(request, paths, feed, waiver, linked.Token).ConfigureAwait(false)
                    : await ApplyLockedAsync(request, paths, feed, waiver, linked.Token).ConfigureAwait(false);
            }
            catch (SecureUpdateException ex) when (ex is not TargetLockedException)
            {
                // Hard reset at update time: nothing staged survives (staging is always cleared) and
                // current is kept. With debug-shell permitted, the same holds; the caller may then open the prompt.
                UpdateLog.Refused(_logger, ex.Stage, ex.Code, ex.Message);
                if (ex.Code != ErrorCode.HealthCheckFailed)
                {
                    var (action, note) = ex is VerificationException ? FailureFallback(paths) : (FallbackMode.HardReset, "");
                    _audit.Record(paths, ex is VerificationException ? "refused" : "failed", ex.Stage, ex.Code, null, ex.Message + note, action);
                }
                throw;
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TransportException(ErrorCode.Timeout, UpdateStage.Payload, $"The update did not finish within its deadline of {_options.Deadline}.", ex);
            }
            finally
            {
                targetLock.Dispose();
            }

            if (result.Outcome == ApplyOutcome.NotInRollout && (createdTarget || createdState))
            {
                // Nothing was installed: a first install that this host does not take leaves no target behind.
                TryDelete(createdTarget ? paths.Root : paths.State);
            }

            return result;
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

    private async Task<ApplyResult> ApplyLockedAsync(ApplyRequest request, TargetPaths paths, IFeedSource feed, SignatureWaiver? waiver, CancellationToken cancellationToken)
    {
        var operations = new TargetOperations(_fileSystem, paths, _audit);
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

        var pointer = await ReleaseReader.ReadPointerAsync(feed, request.Trust, app, channel, now, state.Floor, waiver, cancellationToken).ConfigureAwait(false);
        var version = pointer.Version.ToString();
        if (string.Equals(current, version, StringComparison.Ordinal) || state.Rejected.Contains(version, StringComparer.Ordinal))
        {
            // A version rolled back from here is not installed again until a newer one is published.
            UpdateLog.AlreadyCurrent(_logger, app, version);
            return new ApplyResult(ApplyOutcome.Current, app, channel, current ?? version, current, 0, 0, 0);
        }

        if (request.HostId is { } hostId && !RolloutBucket.Includes(hostId, app, version, pointer.RolloutPercent))
        {
            return new ApplyResult(ApplyOutcome.NotInRollout, app, channel, version, current, 0, 0, 0);
        }

        var (manifest, manifestBytes, manifestSignatures) = await ReleaseReader.ReadManifestAsync(feed, request.Trust, pointer, now, _options.Limits, waiver, cancellationToken).ConfigureAwait(false);

        // Stage in a fresh owner-only folder under the target, reusing files already installed.
        DiskOperations.CreateDirectory(paths.Staging, DiskOperations.OwnerOnlyDirectory);
        var stagingFolder = Path.Combine(paths.Staging, Guid.NewGuid().ToString("N"));
        var stager = new ReleaseStager(_fileSystem, feed, _timeProvider, _options);
        UpdateLog.Staging(_logger, app, version, manifest.Files.Count, manifest.TotalSize);
        try
        {
            await stager.StageAsync(manifest, stagingFolder, CollectLocalCopies(paths, request.Trust), cancellationToken, request.Progress).ConfigureAwait(false);
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
                _audit.Record(paths, "staged", UpdateStage.Stage, null, version, $"staged {version}; current stays {current ?? "none"}");
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
        _audit.Record(operations.Paths, "installed", UpdateStage.Install, null, version.ToString(), $"switched from {previous ?? "nothing"} to {version}");
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
            operations = new TargetOperations(_fileSystem, paths, _audit);
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
