using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Events;
using SecureUpdate.Fallback;
using SecureUpdate.Feed;
using SecureUpdate.Formats;
using SecureUpdate.IO;
using SecureUpdate.Manifests;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>
/// Single-file mode, for tools installed as one executable (<c>tool self-update</c>): the new
/// file is staged and verified beside the old one, fsynced, and renamed over it — which is
/// atomic and works while the old file runs on Linux. The previous file is kept for rollback.
/// State lives beside the file in <c>.NAME.secure-update/</c>.
/// </summary>
internal sealed class SingleFileInstaller
{
    private const string InstallOperation = "install-file";
    private const string RollbackOperation = "rollback-file";

    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly SecureUpdateOptions _options;
    private readonly AuditTrail _audit;

    public SingleFileInstaller(IFileSystem fileSystem, TimeProvider timeProvider, SecureUpdateOptions options, AuditTrail audit)
    {
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _options = options;
        _audit = audit;
    }

    /// <summary>Refuses files and folders that others could swap under us.</summary>
    public void CheckLocation(TargetPaths paths)
    {
        var file = paths.File!;
        if (!_fileSystem.Directory.Exists(paths.Root))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The folder of '{file}' does not exist.");
        }

        if (!OperatingSystem.IsWindows() && (_fileSystem.File.GetUnixFileMode(paths.Root) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            // Anyone who can write the folder can replace the file between our verification and its next start.
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The folder '{paths.Root}' is writable by group or others; refusing to install '{Path.GetFileName(file)}' there.");
        }

        var info = _fileSystem.FileInfo.New(file);
        if (info.LinkTarget is not null || _fileSystem.Directory.Exists(file))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"'{file}' is not a regular file; refusing to replace it.");
        }
    }

    /// <summary>Installs or updates the file to the channel's newest single-file release. The caller holds the lock.</summary>
    public async Task<ApplyResult> ApplyLockedAsync(ApplyRequest request, TargetPaths paths, IFeedSource feed, SignatureWaiver? waiver, CancellationToken cancellationToken)
    {
        Recover(paths);
        var state = TargetState.Read(_fileSystem, paths);
        var app = request.App ?? state?.App
            ?? throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, "--app is required for the first install of a file.");
        if (state is not null && !string.Equals(state.App, app, StringComparison.Ordinal))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"'{paths.File}' holds app '{state.App}', not '{app}'.");
        }

        var channel = request.Channel ?? state?.Channel ?? "stable";
        state = (state ?? new TargetState(app, channel, null)) with { Channel = channel };
        var current = _fileSystem.File.Exists(paths.File!) ? state.Current : null;
        var now = _timeProvider.GetUtcNow();
        var pointer = await ReleaseReader.ReadPointerAsync(feed, request.Trust, app, channel, now, state.Floor, waiver, cancellationToken).ConfigureAwait(false);
        var version = pointer.Version.ToString();
        if (string.Equals(current, version, StringComparison.Ordinal) || state.Rejected.Contains(version, StringComparer.Ordinal))
        {
            return new ApplyResult(ApplyOutcome.Current, app, channel, current ?? version, current, 0, 0, 0);
        }

        if (request.HostId is { } hostId && !RolloutBucket.Includes(hostId, app, version, pointer.RolloutPercent))
        {
            return new ApplyResult(ApplyOutcome.NotInRollout, app, channel, version, current, 0, 0, 0);
        }

        var (manifest, manifestBytes, manifestSignatures) = await ReleaseReader.ReadManifestAsync(feed, request.Trust, pointer, now, _options.Limits, waiver, cancellationToken).ConfigureAwait(false);
        if (manifest.Files.Count != 1)
        {
            throw new VerificationException(ErrorCode.Malformed, UpdateStage.Manifest, $"Release {version} lists {manifest.Files.Count} files; a single-file target takes a release of exactly one file.");
        }

        DiskOperations.CreateDirectory(paths.Staging, DiskOperations.OwnerOnlyDirectory);
        var stagingFolder = Path.Combine(paths.Staging, Guid.NewGuid().ToString("N"));
        var stager = new ReleaseStager(_fileSystem, feed, _timeProvider, _options);
        try
        {
            await stager.StageAsync(manifest, stagingFolder, new Dictionary<string, string>(), cancellationToken, request.Progress).ConfigureAwait(false);
            var staged = Path.Combine(stagingFolder, manifest.Files[0].Path.Replace('/', Path.DirectorySeparatorChar));
            DiskOperations.WriteFileAtomic(paths.PinnedTrust, request.Trust.ToTrustFile(), DiskOperations.OwnerOnlyFile);

            // The state exists before the journal, so recovery can always record the outcome, even of a first install.
            state.Write(paths);
            Journal.Begin(paths, new JournalDocument { Schema = JournalDocument.SchemaName, Operation = InstallOperation, Version = version, Previous = current });
            DiskOperations.CreateDirectory(paths.Manifests, DiskOperations.OwnerOnlyDirectory);
            DiskOperations.WriteFileAtomic(paths.ManifestSignatureFile(version), manifestSignatures, DiskOperations.OwnerOnlyFile);
            DiskOperations.WriteFileAtomic(paths.ManifestFile(version), manifestBytes, DiskOperations.OwnerOnlyFile);
            FaultInjection.Point("manifest-written");
            if (current is not null)
            {
                // Keep the previous file for rollback: a second name for it, made durable before the switch.
                var keep = paths.PreviousFile(current);
                DeleteIfExists(keep);
                DiskOperations.HardLink(paths.File!, keep);
                DiskOperations.FsyncDirectory(paths.State);
            }

            FaultInjection.Point("version-moved");
            DiskOperations.RenameOver(staged, paths.File!);
            DiskOperations.FsyncDirectory(paths.Root);
            FaultInjection.Point("switched");
            Commit(paths, state, version, current);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var settled = Recover(paths);
            throw new InstallException(ErrorCode.InstallFailed, UpdateStage.Install, $"Installing {version} into '{paths.File}' failed: {ex.Message.TrimEnd('.')}; {settled ?? "nothing was changed"}.", ex);
        }
        finally
        {
            DeleteIfExists(paths.Staging);
        }

        return new ApplyResult(current is null ? ApplyOutcome.Installed : ApplyOutcome.Updated, app, channel, version, current, stager.FilesDownloaded, stager.FilesReused, stager.BytesDownloaded);
    }

    /// <summary>Re-hashes the file against the signed manifest of the version it should hold; a failure leads to the given fallback action.</summary>
    public async Task<VerifyResult> VerifyLockedAsync(TargetPaths paths, TrustRoot trust, SignatureWaiver? waiver, (FallbackMode Action, string Note) fallback, CancellationToken cancellationToken)
    {
        Recover(paths);
        var state = TargetState.Read(_fileSystem, paths);
        if (state?.Current is not { } current || !_fileSystem.File.Exists(paths.File!))
        {
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No version is installed at '{paths.File}'.");
        }

        try
        {
            var manifest = InstalledManifest.Load(_fileSystem, paths, current, trust, _options.Limits, waiver);
            await VerifyFileAsync(paths.File!, manifest, cancellationToken).ConfigureAwait(false);
            return new VerifyResult(current, 1, manifest.TotalSize);
        }
        catch (VerificationException ex)
        {
            _audit.Record(paths, "verify-failed", UpdateStage.Verify, ex.Code, current, ex.Message + fallback.Note, fallback.Action);
            if (fallback.Action == FallbackMode.DebugShell)
            {
                throw new VerificationException(ex.Code, UpdateStage.Verify, ex.Message + fallback.Note, ex) { LeftForDebugShell = true };
            }

            // Hard reset: put back the kept previous file when it still verifies.
            RollbackResult reset;
            try
            {
                reset = await RollbackLockedAsync(paths, trust, waiver, cancellationToken).ConfigureAwait(false);
            }
            catch (NotInstalledException)
            {
                _audit.Record(paths, "reinstall-needed", UpdateStage.Verify, ErrorCode.NotInstalled, current, "no kept version verifies", FallbackMode.HardReset);
                throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"{ex.Message} No kept version verifies: '{paths.File}' needs a reinstall.", ex);
            }

            throw new VerificationException(ex.Code, UpdateStage.Verify, $"{ex.Message} Switched back to {reset.Version}, the kept previous version, which verifies.", ex);
        }
    }

    /// <summary>Puts the kept previous file back, after verifying it against its signed manifest.</summary>
    public async Task<RollbackResult> RollbackLockedAsync(TargetPaths paths, TrustRoot trust, SignatureWaiver? waiver, CancellationToken cancellationToken)
    {
        Recover(paths);
        var state = TargetState.Read(_fileSystem, paths);
        if (state?.Current is not { } current)
        {
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No version is installed at '{paths.File}'.");
        }

        foreach (var previous in KeptPrevious(paths).Where(v => v < SemanticVersion.Parse(current)))
        {
            var name = previous.ToString();
            try
            {
                var manifest = InstalledManifest.Load(_fileSystem, paths, name, trust, _options.Limits, waiver);
                await VerifyFileAsync(paths.PreviousFile(name), manifest, cancellationToken).ConfigureAwait(false);
            }
            catch (VerificationException)
            {
                continue;
            }

            Journal.Begin(paths, new JournalDocument { Schema = JournalDocument.SchemaName, Operation = RollbackOperation, Version = name, Previous = current });
            DiskOperations.RenameOver(paths.PreviousFile(name), paths.File!);
            DiskOperations.FsyncDirectory(paths.Root);
            FaultInjection.Point("switched");
            (state.Reject(current) with { Current = name }).Write(paths);
            Journal.Complete(paths);
            _audit.Record(paths, "rolled-back", UpdateStage.Install, null, name, $"rolled back '{Path.GetFileName(paths.File)}' from {current} to {name}");
            return new RollbackResult(name, current);
        }

        _audit.Record(paths, "rollback-failed", UpdateStage.Verify, ErrorCode.NotInstalled, current, "no kept previous version verifies");
        throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"No kept previous version of '{paths.File}' verifies; nothing was switched.");
    }

    /// <summary>
    /// Finishes or undoes an interrupted operation: the file's own content says whether the rename
    /// happened, because the rename is the single atomic step. Returns what was done, or null.
    /// </summary>
    public string? Recover(TargetPaths paths)
    {
        DeleteIfExists(paths.Staging);
        foreach (var folder in new[] { paths.State, paths.Manifests })
        {
            if (_fileSystem.Directory.Exists(folder))
            {
                foreach (var leftover in _fileSystem.Directory.EnumerateFiles(folder, ".*.tmp"))
                {
                    DeleteIfExists(leftover);
                }
            }
        }

        var entry = Journal.Read(_fileSystem, paths);
        if (entry is null)
        {
            return null;
        }

        var state = TargetState.Read(_fileSystem, paths);
        var switched = FileMatchesKeptManifest(paths, entry.Version);
        string outcome;
        if (switched && state is not null)
        {
            var next = entry.Operation == RollbackOperation
                ? state.Reject(entry.Previous ?? entry.Version) with { Current = entry.Version }
                : state.WithFloorAtLeast(SemanticVersion.Parse(entry.Version)) with { Current = entry.Version };
            next.Write(paths);
            if (entry.Operation == InstallOperation)
            {
                Prune(paths, entry.Version, entry.Previous);
            }

            outcome = $"finished the interrupted {entry.Operation} of {entry.Version}";
        }
        else
        {
            if (entry.Operation == InstallOperation && entry.Version != state?.Current)
            {
                DeleteIfExists(paths.ManifestFile(entry.Version));
                DeleteIfExists(paths.ManifestSignatureFile(entry.Version));

                // The link made to keep the previous file is a second name of the file still in place: not a kept version.
                if (entry.Previous is not null)
                {
                    DeleteIfExists(paths.PreviousFile(entry.Previous));
                }
            }

            outcome = $"undid the interrupted {entry.Operation} of {entry.Version}";
        }

        Journal.Complete(paths);
        _audit.Record(paths, "recovered", UpdateStage.Install, null, entry.Version, outcome);
        return outcome;
    }

    private void Commit(TargetPaths paths, TargetState state, string version, string? previous)
    {
        (state.WithFloorAtLeast(SemanticVersion.Parse(version)) with { Current = version }).Write(paths);
        FaultInjection.Point("state-written");
        Prune(paths, version, previous);
        Journal.Complete(paths);
        _audit.Record(paths, "installed", UpdateStage.Install, null, version, $"replaced '{Path.GetFileName(paths.File)}' {previous ?? "(new)"} with {version}");
    }

    /// <summary>Keeps the manifests of the current and previous versions and the one previous file; removes the rest.</summary>
    private void Prune(TargetPaths paths, string current, string? previous)
    {
        foreach (var kept in KeptPrevious(paths).Select(v => v.ToString()).Where(v => v != previous))
        {
            DeleteIfExists(paths.PreviousFile(kept));
        }

        if (_fileSystem.Directory.Exists(paths.Manifests))
        {
            foreach (var file in _fileSystem.Directory.EnumerateFiles(paths.Manifests))
            {
                var name = _fileSystem.Path.GetFileName(file);
                if (!name.StartsWith(current + ".json", StringComparison.Ordinal) && (previous is null || !name.StartsWith(previous + ".json", StringComparison.Ordinal)))
                {
                    DeleteIfExists(file);
                }
            }
        }

        FaultInjection.Point("pruned");
    }

    private List<SemanticVersion> KeptPrevious(TargetPaths paths)
    {
        var versions = new List<SemanticVersion>();
        if (_fileSystem.Directory.Exists(paths.State))
        {
            foreach (var file in _fileSystem.Directory.EnumerateFiles(paths.State, "previous-*"))
            {
                if (SemanticVersion.TryParse(_fileSystem.Path.GetFileName(file)["previous-".Length..], out var version))
                {
                    versions.Add(version);
                }
            }
        }

        versions.Sort((a, b) => b.CompareTo(a));
        return versions;
    }

    private bool FileMatchesKeptManifest(TargetPaths paths, string version)
    {
        try
        {
            // The kept manifest was verified when it was written; here it only tells which bytes the file would hold.
            var bytes = LocalFiles.ReadCapped(_fileSystem, paths.ManifestFile(version), _options.Limits.MaxManifestBytes, "manifest");
            var manifest = DocumentParser.ParseManifest(bytes, _options.Limits);
            using var stream = _fileSystem.FileStream.New(paths.File!, FileMode.Open, FileAccess.Read, FileShare.Read);
            return manifest.Files.Count == 1 && stream.Length == manifest.Files[0].Size
                && CryptographicOperations.FixedTimeEquals(SHA256.HashData(stream), manifest.Files[0].Sha256);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecureUpdateException)
        {
            return false;
        }
    }

    private async Task VerifyFileAsync(string file, ReleaseManifest manifest, CancellationToken cancellationToken)
    {
        var expected = manifest.Files[0];
        if (_fileSystem.FileInfo.New(file).LinkTarget is not null)
        {
            throw new VerificationException(ErrorCode.HashMismatch, UpdateStage.Verify, $"'{file}' is a symlink, not the installed file.");
        }

        if (!_fileSystem.File.Exists(file))
        {
            throw new VerificationException(ErrorCode.HashMismatch, UpdateStage.Verify, $"'{file}' is missing.");
        }

        using var stream = _fileSystem.FileStream.New(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var (copied, overflow) = await StreamCopier.CopyAsync(stream, Stream.Null, expected.Size, hash, Timeout.InfiniteTimeSpan, _timeProvider, cancellationToken).ConfigureAwait(false);
        var executable = OperatingSystem.IsWindows() || (_fileSystem.File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
        if (overflow || copied != expected.Size || !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), expected.Sha256) || executable != (expected.Executable || OperatingSystem.IsWindows()))
        {
            throw new VerificationException(ErrorCode.HashMismatch, UpdateStage.Verify, $"'{file}' does not match its signed SHA-256, size and executable bit for {manifest.Version}.");
        }
    }

    private void DeleteIfExists(string path)
    {
        if (_fileSystem.Directory.Exists(path) && _fileSystem.FileInfo.New(path).LinkTarget is null)
        {
            _fileSystem.Directory.Delete(path, recursive: true);
        }
        else if (_fileSystem.File.Exists(path) || _fileSystem.FileInfo.New(path).LinkTarget is not null)
        {
            _fileSystem.File.Delete(path);
        }
    }
}
