using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Formats;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// The release side: signs a folder into a static feed. Payloads are stored by content digest
/// (written once, read once while hashing), then the manifest, then the channel pointer.
/// </summary>
public sealed class ReleasePublisher
{
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly DiskOperations _disk;
    private readonly IKeyPassphraseProvider _passphrases;
    private readonly PublishedFiles _files;
    private readonly ILogger _logger;

    /// <summary>Creates a publisher; encrypted key files are unlocked with <paramref name="passphrases"/> (default: the environment variable).</summary>
    public ReleasePublisher(IFileSystem fileSystem, TimeProvider timeProvider, IKeyPassphraseProvider? passphrases = null)
        : this(fileSystem, timeProvider, new DiskOperations(), passphrases ?? new EnvironmentPassphraseProvider())
    {
    }

    internal ReleasePublisher(IFileSystem fileSystem, TimeProvider timeProvider, DiskOperations disk, IKeyPassphraseProvider passphrases, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(passphrases);
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _disk = disk;
        _passphrases = passphrases;
        _files = new PublishedFiles(fileSystem, disk);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Adds a release to the feed and points its channel at it.</summary>
    /// <exception cref="ConfigurationException">Bad arguments, keys or input, or a version not newer than the channel's.</exception>
    public async Task<ReleaseResult> PublishAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Identifiers.IsValid(request.App) || !Identifiers.IsValid(request.Channel))
        {
            throw Usage("The app id and channel must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.");
        }

        if (!SemanticVersion.TryParse(request.Version, out var version))
        {
            // A git tag (v1.2.0) is the usual slip: say what to give instead.
            var tag = request.Version is [('v' or 'V'), var digit, ..] && char.IsAsciiDigit(digit) && SemanticVersion.TryParse(request.Version[1..], out _);
            throw Usage(tag
                ? $"'{Printable.Of(request.Version)}' is not a SemVer 2.0 version: drop the leading '{request.Version[0]}' ({Printable.Of(request.Version[1..])})."
                : $"'{Printable.Of(request.Version)}' is not a SemVer 2.0 version (for example 1.2.0).");
        }

        if (request.KeyFiles.Count == 0 && request.Draft is null)
        {
            throw Usage("At least one signing key is required.", nameof(ReleaseRequest.KeyFiles));
        }

        if (request.ExpiresIn <= TimeSpan.Zero)
        {
            throw Usage("The expiry must be positive.");
        }

        if (request.RolloutPercent is < 0 or > 100)
        {
            throw Usage("The rollout must be a percentage from 0 to 100.", nameof(ReleaseRequest.RolloutPercent));
        }

        var input = _fileSystem.Path.GetFullPath(request.Input);
        if (!_fileSystem.Directory.Exists(input))
        {
            throw Error.ReleaseRefused($"The input folder '{Printable.Of(request.Input)}' does not exist.", request.Input);
        }

        // Refusals that need no key come before the keys are opened (a passphrase asked, an HSM logged into).
        var feed = _fileSystem.Path.GetFullPath(request.Feed);
        CheckNewer(feed, request.App, request.Channel, version);
        var keys = KeyFiles.LoadAll(_fileSystem, request.KeyFiles, _passphrases, _logger);
        try
        {
            CheckReleaseRole(feed, keys, complete: request.Draft is null);
            var sources = ListInput(input);

            var blobs = _fileSystem.Path.Combine(feed, "blobs", "sha256");
            _files.CreateFolder(blobs);
            var files = new List<ManifestFileDocument>(sources.Count);
            var newBlobs = 0;
            long total = 0;
            foreach (var (relative, fullPath) in sources)
            {
                var (entry, added) = await StoreBlobAsync(blobs, relative, fullPath, cancellationToken).ConfigureAwait(false);
                files.Add(entry);
                newBlobs += added ? 1 : 0;
                total += entry.Size;
            }

            var now = _timeProvider.NowToTheSecond();
            var expires = now + request.ExpiresIn;
            var manifestBytes = StrictJson.Write(
                new ManifestDocument
                {
                    Schema = ManifestDocument.SchemaName,
                    App = request.App,
                    Channel = request.Channel,
                    Version = version.ToString(),
                    Published = now,
                    Expires = expires,
                    Files = files,
                },
                SecureUpdateJsonContext.Default.ManifestDocument);
            // A draft keeps the manifest and the pointer apart until enough signers have signed them.
            var documents = request.Draft is null ? feed : _fileSystem.Path.GetFullPath(request.Draft);
            var manifestDigest = _files.SignAndWrite(_fileSystem.Path.Combine(documents, FeedPaths.Manifest(request.App, request.Channel, version.ToString())), manifestBytes, DocumentType.Manifest, keys);

            WritePointer(documents, request.App, request.Channel, version.ToString(), Convert.ToHexStringLower(manifestDigest), manifestBytes.Length, now, expires, request.RolloutPercent, keys);

            return new ReleaseResult(request.App, request.Channel, version.ToString(), Convert.ToHexStringLower(manifestDigest), files.Count, total, newBlobs, expires);
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>
    /// Re-signs the channel pointer with a new rollout percentage: the same version and manifest,
    /// a new publication time and expiry. Hosts are bucketed by host id and version, so raising
    /// the percentage only adds hosts.
    /// </summary>
    /// <exception cref="ConfigurationException">Bad arguments or keys, or the channel has no release.</exception>
    public Task<ReleaseResult> SetRolloutAsync(RolloutRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Identifiers.IsValid(request.App) || !Identifiers.IsValid(request.Channel))
        {
            throw Usage("The app id and channel must be 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.");
        }

        if (request.Percent is < 0 or > 100)
        {
            throw Usage("The rollout must be a percentage from 0 to 100.");
        }

        if (request.KeyFiles.Count == 0 || request.ExpiresIn <= TimeSpan.Zero)
        {
            throw Usage("At least one signing key and a positive expiry are required.", nameof(RolloutRequest.KeyFiles));
        }

        var feed = _fileSystem.Path.GetFullPath(request.Feed);
        var pointerPath = _fileSystem.Path.Combine(feed, FeedPaths.Channel(request.App, request.Channel));
        ChannelPointer pointer;
        try
        {
            // The publisher's own feed, like its input folder: read strictly, capped, to keep its version and manifest binding.
            pointer = DocumentParser.ParseChannelPointer(LocalFiles.ReadCapped(_fileSystem, pointerPath, ManifestLimits.MaxChannelPointerBytes, "channel pointer"));
        }
        catch (SecureUpdateException ex)
        {
            throw Error.ReleaseRefused($"The channel '{request.Channel}' of '{request.App}' has no valid release to roll out: {ex.Message}", pointerPath, ex);
        }

        var keys = KeyFiles.LoadAll(_fileSystem, request.KeyFiles, _passphrases, _logger);
        try
        {
            CheckReleaseRole(feed, keys, complete: true);
            var now = _timeProvider.NowToTheSecond();
            var expires = now + request.ExpiresIn;
            var digest = Convert.ToHexStringLower(pointer.ManifestSha256);
            WritePointer(feed, pointer.App, pointer.Channel, pointer.Version.ToString(), digest, pointer.ManifestSize, now, expires, request.Percent, keys);
            return Task.FromResult(new ReleaseResult(pointer.App, pointer.Channel, pointer.Version.ToString(), digest, 0, 0, 0, expires));
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private void WritePointer(string feed, string app, string channel, string version, string manifestSha256, long manifestSize, DateTimeOffset published, DateTimeOffset expires, int? rollout, IReadOnlyList<IDocumentSigner> keys)
    {
        var pointerBytes = StrictJson.Write(
            new ChannelPointerDocument
            {
                Schema = ChannelPointerDocument.SchemaName,
                App = app,
                Channel = channel,
                Version = version,
                ManifestSha256 = manifestSha256,
                ManifestSize = manifestSize,
                Published = published,
                Expires = expires,
                Rollout = rollout,
            },
            SecureUpdateJsonContext.Default.ChannelPointerDocument);
        _files.SignAndWrite(_fileSystem.Path.Combine(feed, FeedPaths.Channel(app, channel)), pointerBytes, DocumentType.Channel, keys);
    }

    /// <summary>
    /// Moves a draft release (<see cref="ReleaseRequest.Draft"/>) into its feed once its manifest and
    /// channel pointer carry the release threshold of signatures: the feed's newest trust root's
    /// release role, or <see cref="PublishDraftRequest.Trust"/> for a feed without a chain.
    /// </summary>
    /// <exception cref="VerificationException">Not enough signatures, or documents that do not belong together; the feed is unchanged.</exception>
    /// <exception cref="ConfigurationException">No draft there, a version not newer than the channel's, or missing payloads.</exception>
    public Task<ReleaseResult> PublishDraftAsync(PublishDraftRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var feed = _fileSystem.Path.GetFullPath(request.Feed);
        var draft = _fileSystem.Path.GetFullPath(request.Draft);
        var role = (FeedTrust.ReadNewest(_fileSystem, feed) ?? request.Trust)?.ReleaseRole
            ?? throw Usage("The feed has no trust chain: give the trust root whose release role signs this feed.", nameof(PublishDraftRequest.Trust));
        var pointers = _fileSystem.Directory.Exists(draft) ? _fileSystem.Directory.GetFiles(draft, "channel.json", SearchOption.AllDirectories) : [];
        if (pointers.Length != 1)
        {
            throw Error.ReleaseRefused($"'{Printable.Of(request.Draft)}' does not hold exactly one draft release (a channel.json).", request.Draft);
        }

        var pointerBytes = LocalFiles.ReadCapped(_fileSystem, pointers[0], ManifestLimits.MaxChannelPointerBytes, "channel pointer");
        var pointerSignatures = PublishedFiles.ReadSignatures(_fileSystem, pointers[0], UpdateStage.Release, "draft channel pointer");
        DocumentVerifier.Verify(role, includeVerifyOnly: false, DocumentType.Channel, pointerBytes, pointerSignatures, UpdateStage.Release, "draft channel pointer");
        var pointer = DocumentParser.ParseChannelPointer(pointerBytes);
        var version = pointer.Version.ToString();
        var manifestPath = _fileSystem.Path.Combine(draft, FeedPaths.Manifest(pointer.App, pointer.Channel, version));
        var manifestBytes = LocalFiles.ReadCapped(_fileSystem, manifestPath, ManifestLimits.Default.MaxManifestBytes, "manifest");
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(manifestBytes), pointer.ManifestSha256))
        {
            throw Error.ManifestMismatch(UpdateStage.Release, version, $"The draft manifest of {version} is not the one its channel pointer signs.");
        }

        var manifestSignatures = PublishedFiles.ReadSignatures(_fileSystem, manifestPath, UpdateStage.Release, "draft manifest");
        DocumentVerifier.Verify(role, includeVerifyOnly: false, DocumentType.Manifest, manifestBytes, manifestSignatures, UpdateStage.Release, "draft manifest");
        var manifest = DocumentParser.ParseManifest(manifestBytes, ManifestLimits.Default);
        ReleasePolicy.CheckManifest(manifest, pointer, _timeProvider.GetUtcNow());
        CheckNewer(feed, pointer.App, pointer.Channel, pointer.Version);
        foreach (var file in manifest.Files)
        {
            var blob = _fileSystem.Path.Combine(feed, FeedPaths.Blob(file.Sha256Hex));
            if (file.Size > 0 && (!_fileSystem.File.Exists(blob) || _fileSystem.FileInfo.New(blob).Length != file.Size))
            {
                throw Error.ReleaseRefused($"The feed lacks the payload of '{Printable.Of(file.Path)}' that the draft names; publish the draft into the feed it was made for.", blob);
            }
        }

        // The manifest before the pointer that names it, each with its signatures first, exactly as a release is written.
        Move(manifestPath, _fileSystem.Path.Combine(feed, FeedPaths.Manifest(pointer.App, pointer.Channel, version)), manifestBytes, manifestSignatures);
        Move(pointers[0], _fileSystem.Path.Combine(feed, FeedPaths.Channel(pointer.App, pointer.Channel)), pointerBytes, pointerSignatures);
        var total = manifest.Files.Sum(f => f.Size);
        return Task.FromResult(new ReleaseResult(pointer.App, pointer.Channel, version, Convert.ToHexStringLower(pointer.ManifestSha256), manifest.Files.Count, total, 0, pointer.Expires));
    }

    /// <summary>
    /// With a trust chain in the feed, every key must be a signing key of its newest root's release
    /// role (a revoked or retired key signs nothing new), and a complete release needs the role's threshold.
    /// </summary>
    /// <exception cref="VerificationException">A key outside the role, or fewer keys than the threshold.</exception>
    private void CheckReleaseRole(string feed, IReadOnlyList<IDocumentSigner> keys, bool complete)
    {
        if (FeedTrust.ReadNewest(_fileSystem, feed) is not { } newest)
        {
            return;
        }

        if (keys.FirstOrDefault(k => !newest.ReleaseRole.KeyIds.Contains(k.KeyId, StringComparer.Ordinal)) is { } outside)
        {
            throw Error.KeyNotInReleaseRole(outside.KeyId, newest.Version);
        }

        var distinct = keys.Select(k => k.KeyId).Distinct(StringComparer.Ordinal).Count();
        if (complete && distinct < newest.ReleaseRole.Threshold)
        {
            throw Error.NotEnoughSignatures(UpdateStage.Release, "release", distinct, newest.ReleaseRole.Threshold);
        }
    }

    private void Move(string from, string to, byte[] document, byte[] signatures)
    {
        _files.WriteSigned(to, document, signatures);
        _fileSystem.File.Delete(from + FeedPaths.SignatureSuffix);
        _fileSystem.File.Delete(from);
    }

    private static ConfigurationException Usage(string message, string? setting = null) => Error.Usage(message, setting, UpdateStage.Release);

    private void CheckNewer(string feed, string app, string channel, SemanticVersion version)
    {
        var folder = _fileSystem.Path.Combine(feed, FeedPaths.ManifestsFolder(app, channel));
        if (!_fileSystem.Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in _fileSystem.Directory.EnumerateFiles(folder, "*.json"))
        {
            var name = _fileSystem.Path.GetFileNameWithoutExtension(file);
            if (SemanticVersion.TryParse(name, out var existing) && existing >= version)
            {
                throw Error.ReleaseRefused($"The channel '{channel}' already has release {existing}; a new release must be newer than {existing}.");
            }
        }
    }

    private List<(string Relative, string FullPath)> ListInput(string input)
    {
        var result = new List<(string, string)>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var entry in _fileSystem.DirectoryInfo.New(input).EnumerateFileSystemInfos("*", options))
        {
            var relative = _fileSystem.Path.GetRelativePath(input, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry.LinkTarget is not null)
            {
                throw Error.ReleaseRefused($"The input holds a symlink, '{Printable.Of(relative)}'; releases hold regular files only.", entry.FullName);
            }

            if (entry is IDirectoryInfo)
            {
                continue;
            }

            // A named pipe, socket or device is refused before anything is written (never skipped:
            // a release must not silently miss a file the input seems to hold).
            OpenInput(relative, entry.FullName).Dispose();

            if (!ManifestPathRules.IsSafe(relative, out var reason))
            {
                throw Error.ReleaseRefused($"The input file '{Printable.Of(relative)}' cannot be released: {reason}.", entry.FullName);
            }

            result.Add((relative, entry.FullName));
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        var collision = ManifestPathRules.FindCollision(result.Select(r => r.Item1).ToList());
        if (collision is not null)
        {
            throw Error.ReleaseRefused($"The input file '{Printable.Of(collision)}' collides with another when case is ignored.");
        }

        return result;
    }

    /// <summary>Opens an input file for reading, refusing anything but a regular file (a symlink included).</summary>
    private Stream OpenInput(string relative, string fullPath)
    {
        try
        {
            return LocalFiles.OpenRegular(_fileSystem, fullPath, noFollow: true);
        }
        catch (NotRegularFileException ex)
        {
            throw Error.ReleaseInputNotRegular(relative, fullPath, ex.Problem, ex);
        }
    }

    private async Task<(ManifestFileDocument Entry, bool Added)> StoreBlobAsync(string blobs, string relative, string fullPath, CancellationToken cancellationToken)
    {
        // One pass: read each byte once, hashing it as it is copied into a temporary blob.
        var temporary = _fileSystem.Path.Combine(blobs, $".{Guid.NewGuid():N}.tmp");
        byte[] digest;
        long size;
        try
        {
            using (var source = OpenInput(relative, fullPath))
            using (var destination = _fileSystem.FileStream.New(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                (size, _) = await StreamCopier.CopyAsync(source, destination, long.MaxValue, hash, Timeout.InfiniteTimeSpan, _timeProvider, cancellationToken).ConfigureAwait(false);
                digest = hash.GetHashAndReset();
                destination.Flush();
            }

            var executable = !_disk.IgnoresExecutableBit && _disk.IsExecutable(fullPath);
            var hex = Convert.ToHexStringLower(digest);
            var blob = _fileSystem.Path.Combine(blobs, hex);
            var added = !_fileSystem.File.Exists(blob);

            // Always replace: a blob left damaged by an interrupted upload or sync would otherwise
            // stay in the feed and make every release that shares it uninstallable. The rename is atomic.
            _fileSystem.File.Move(temporary, blob, overwrite: true);

            return (new ManifestFileDocument { Path = relative, Size = size, Sha256 = hex, Executable = executable }, added);
        }
        finally
        {
            if (_fileSystem.File.Exists(temporary))
            {
                _fileSystem.File.Delete(temporary);
            }
        }
    }
}
