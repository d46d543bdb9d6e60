using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Diagnostics;
using SecureUpdate.Feed;
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
public sealed class UpdateClient
{
    private const string DefaultChannel = "stable";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly SecureUpdateOptions _options;
    private readonly ILogger _logger;

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
    }

    /// <summary>Installs or updates <see cref="ApplyRequest.Target"/> to the newest version of its channel.</summary>
    /// <exception cref="SecureUpdateException">Anything refused or failed; the target is as it was.</exception>
    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ValidateIdentifier(request.App, "app id");
        ValidateIdentifier(request.Channel, "channel");

        var paths = new TargetPaths(request.Target);
        if (_fileSystem.File.Exists(paths.Root))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target '{paths.Root}' is a file, not a folder.");
        }

        var createdTarget = !_fileSystem.Directory.Exists(paths.Root);

        var createdState = !_fileSystem.Directory.Exists(paths.State);
        using var feed = FeedSourceFactory.Create(request.Feed, _fileSystem, _httpClientFactory, _timeProvider, _options);
        try
        {
            DiskOperations.CreateDirectory(paths.Root, DiskOperations.Executable);
            if (createdState)
            {
                DiskOperations.CreateDirectory(paths.State, DiskOperations.OwnerOnlyDirectory);
            }

            using var targetLock = TargetLock.Acquire(paths);
            using var deadline = new CancellationTokenSource(_options.Deadline, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                return await ApplyLockedAsync(request, paths, feed, linked.Token).ConfigureAwait(false);
            }
            catch (SecureUpdateException ex) when (ex is not TargetLockedException)
            {
                UpdateLog.Refused(_logger, ex.Stage, ex.Code, ex.Message);
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

    /// <summary>Re-hashes the current version of <paramref name="target"/> against its signed manifest.</summary>
    /// <exception cref="NotInstalledException">Nothing is installed.</exception>
    /// <exception cref="VerificationException">The installed files or manifest do not verify.</exception>
    public async Task<VerifyResult> VerifyAsync(string target, TrustRoot trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trust);
        cancellationToken.ThrowIfCancellationRequested();
        var paths = new TargetPaths(target);
        var current = _fileSystem.Directory.Exists(paths.Root) ? InstalledVersions.ReadCurrent(_fileSystem, paths) : null;
        if (current is null)
        {
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No version is installed in '{paths.Root}'.");
        }

        try
        {
            var manifest = InstalledManifest.Load(_fileSystem, paths, current, trust, _options.Limits);
            var bytes = await InstallationVerifier.VerifyFolderAsync(_fileSystem, manifest, paths.VersionFolder(current), _timeProvider, cancellationToken).ConfigureAwait(false);
            UpdateLog.Verified(_logger, current, manifest.Files.Count);
            return new VerifyResult(current, manifest.Files.Count, bytes);
        }
        catch (VerificationException ex)
        {
            UpdateLog.VerifyFailed(_logger, ex.Code, ex.Message);
            throw;
        }
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

        var state = TargetState.Read(_fileSystem, paths);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
        var installed = InstalledVersions.List(_fileSystem, paths).Select(v => v.ToString()).ToList();
        return new TargetStatus(paths.Root, state?.App, state?.Channel, current, state?.Floor?.ToString(), installed);
    }

    private async Task<ApplyResult> ApplyLockedAsync(ApplyRequest request, TargetPaths paths, IFeedSource feed, CancellationToken cancellationToken)
    {
        var state = TargetState.Read(_fileSystem, paths);
        var app = request.App ?? state?.App
            ?? throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, "--app is required for the first install into a target.");
        if (state is not null && !string.Equals(state.App, app, StringComparison.Ordinal))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target holds app '{state.App}', not '{app}'.");
        }

        var channel = request.Channel ?? state?.Channel ?? DefaultChannel;
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
        var now = _timeProvider.GetUtcNow();
        UpdateLog.CheckingChannel(_logger, app, channel, request.Feed);

        // Channel pointer: cap → SHA-256 → signatures → parse → policy.
        var pointerPath = FeedPaths.Channel(app, channel);
        var pointerBytes = await feed.ReadDocumentAsync(pointerPath, ManifestLimits.MaxChannelPointerBytes, UpdateStage.Channel, cancellationToken).ConfigureAwait(false);
        var pointerSignatures = await ReadSignaturesAsync(feed, pointerPath, UpdateStage.Channel, "channel pointer", cancellationToken).ConfigureAwait(false);
        DocumentVerifier.Verify(request.Trust, DocumentType.Channel, pointerBytes, pointerSignatures, UpdateStage.Channel, "channel pointer");
        var pointer = DocumentParser.ParseChannelPointer(pointerBytes);
        ReleasePolicy.CheckPointer(pointer, app, channel, now, state?.Floor);

        var version = pointer.Version.ToString();
        if (string.Equals(current, version, StringComparison.Ordinal))
        {
            UpdateLog.AlreadyCurrent(_logger, app, version);
            return new ApplyResult(ApplyOutcome.Current, app, channel, version, current, 0, 0, 0);
        }

        // Manifest: bound by the pointer's digest and size, and signed in its own right.
        if (pointer.ManifestSize > _options.Limits.MaxManifestBytes)
        {
            throw new VerificationException(ErrorCode.TooLarge, UpdateStage.Manifest, $"The manifest of {version} is {pointer.ManifestSize} bytes; the limit is {_options.Limits.MaxManifestBytes}.");
        }

        var manifestPath = FeedPaths.Manifest(app, channel, version);
        var manifestBytes = await feed.ReadDocumentAsync(manifestPath, pointer.ManifestSize, UpdateStage.Manifest, cancellationToken).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(manifestBytes), pointer.ManifestSha256))
        {
            throw new VerificationException(ErrorCode.ManifestMismatch, UpdateStage.Manifest, $"The manifest of {version} is not the one its channel pointer signs.");
        }

        var manifestSignatures = await ReadSignaturesAsync(feed, manifestPath, UpdateStage.Manifest, "manifest", cancellationToken).ConfigureAwait(false);
        DocumentVerifier.Verify(request.Trust, DocumentType.Manifest, manifestBytes, manifestSignatures, UpdateStage.Manifest, "manifest");
        var manifest = DocumentParser.ParseManifest(manifestBytes, _options.Limits);
        ReleasePolicy.CheckManifest(manifest, pointer, now);

        // Stage in a fresh owner-only folder under the target, reusing files already installed.
        ClearStaging(paths);
        var stagingFolder = Path.Combine(paths.Staging, Guid.NewGuid().ToString("N"));
        var stager = new ReleaseStager(_fileSystem, feed, _timeProvider, _options);
        UpdateLog.Staging(_logger, app, version, manifest.Files.Count, manifest.TotalSize);
        try
        {
            await stager.StageAsync(manifest, stagingFolder, CollectLocalCopies(paths, request.Trust), cancellationToken).ConfigureAwait(false);
            Install(paths, manifest, stagingFolder, manifestBytes, manifestSignatures, current, state, app, channel);
        }
        finally
        {
            TryDelete(paths.Staging);
        }

        UpdateLog.Switched(_logger, app, current, version, stager.FilesDownloaded, stager.FilesReused);
        return new ApplyResult(current is null ? ApplyOutcome.Installed : ApplyOutcome.Updated, app, channel, version, current, stager.FilesDownloaded, stager.FilesReused, stager.BytesDownloaded);
    }

    /// <summary>A document that is served without its signatures is unsigned: a refusal, not a transport failure.</summary>
    private static async Task<byte[]> ReadSignaturesAsync(IFeedSource feed, string documentPath, UpdateStage stage, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await feed.ReadDocumentAsync(documentPath + FeedPaths.SignatureSuffix, DocumentVerifier.MaxSignatureFileBytes, stage, cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException ex) when (ex.IsNotFound)
        {
            throw new VerificationException(ErrorCode.Signature, stage, $"The feed serves the {what} without signatures.", ex);
        }
    }

    private void Install(TargetPaths paths, ReleaseManifest manifest, string stagingFolder, byte[] manifestBytes, byte[] manifestSignatures, string? previous, TargetState? state, string app, string channel)
    {
        var version = manifest.Version.ToString();
        var versionFolder = paths.VersionFolder(version);
        var movedIn = false;
        try
        {
            DiskOperations.CreateDirectory(paths.Manifests, DiskOperations.OwnerOnlyDirectory);
            DiskOperations.WriteFileAtomic(paths.ManifestSignatureFile(version), manifestSignatures, DiskOperations.OwnerOnlyFile);
            DiskOperations.WriteFileAtomic(paths.ManifestFile(version), manifestBytes, DiskOperations.OwnerOnlyFile);

            DiskOperations.CreateDirectory(paths.Versions, DiskOperations.Executable);
            if (_fileSystem.Directory.Exists(versionFolder))
            {
                // A folder of this version that current does not point at is a leftover: replace it with the verified copy.
                _fileSystem.Directory.Delete(versionFolder, recursive: true);
            }

            _fileSystem.Directory.Move(stagingFolder, versionFolder);
            movedIn = true;
            DiskOperations.SetMode(versionFolder, DiskOperations.Executable);
            DiskOperations.FsyncDirectory(paths.Versions);
            DiskOperations.FsyncDirectory(paths.Staging);

            DiskOperations.SwitchSymlink(paths.Current, "versions/" + version);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (movedIn)
            {
                TryDelete(versionFolder);
            }

            TryDelete(paths.ManifestFile(version));
            TryDelete(paths.ManifestSignatureFile(version));
            throw new InstallException(ErrorCode.InstallFailed, UpdateStage.Install, $"Installing {version} failed and was undone: {ex.Message}", ex);
        }

        var floor = state?.Floor is { } oldFloor && oldFloor > manifest.Version ? oldFloor : manifest.Version;
        new TargetState(app, channel, floor).Write(paths);
        Prune(paths, version, previous);
    }

    /// <summary>Keeps the new and the previous version (for rollback); removes older ones and their manifests.</summary>
    private void Prune(TargetPaths paths, string version, string? previous)
    {
        foreach (var installed in InstalledVersions.List(_fileSystem, paths))
        {
            var name = installed.ToString();
            if (name != version && name != previous)
            {
                TryDelete(paths.VersionFolder(name));
                TryDelete(paths.ManifestFile(name));
                TryDelete(paths.ManifestSignatureFile(name));
            }
        }
    }

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

    private void ClearStaging(TargetPaths paths)
    {
        TryDelete(paths.Staging);
        DiskOperations.CreateDirectory(paths.Staging, DiskOperations.OwnerOnlyDirectory);
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
