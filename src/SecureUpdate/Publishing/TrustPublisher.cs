using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Formats;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// The release side of trust roots: writes a new root document (unsigned; each root key holder adds
/// a signature with <see cref="Cosigner"/>), publishes it into a feed only when it continues the
/// feed's chain with enough signatures, and reads a feed's newest root.
/// </summary>
public sealed class TrustPublisher
{
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly PublishedFiles _files;

    /// <summary>Creates a trust publisher.</summary>
    public TrustPublisher(IFileSystem fileSystem, TimeProvider timeProvider)
        : this(fileSystem, timeProvider, new DiskOperations())
    {
    }

    internal TrustPublisher(IFileSystem fileSystem, TimeProvider timeProvider, DiskOperations disk)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _files = new PublishedFiles(fileSystem, disk);
    }

    /// <summary>Writes a new, unsigned trust root document: version 1, or the feed's newest + 1.</summary>
    /// <exception cref="ConfigurationException">Bad keys or thresholds, or the file exists already.</exception>
    /// <exception cref="VerificationException">The feed's chain does not verify.</exception>
    public TrustDocumentResult Init(TrustInitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ExpiresIn <= TimeSpan.Zero)
        {
            throw Error.Usage("The expiry must be positive.", nameof(TrustInitRequest.ExpiresIn), UpdateStage.Release);
        }

        if (_fileSystem.File.Exists(request.Out))
        {
            throw Error.ReleaseRefused($"'{Printable.Of(request.Out)}' exists already; a trust root document is written once and then only signed.", request.Out);
        }

        var version = request.Feed is null ? 1 : (FeedTrust.ReadNewest(_fileSystem, _fileSystem.Path.GetFullPath(request.Feed))?.Version ?? 0) + 1;
        var root = LoadKeys(request.RootKeys, "root");
        var release = LoadKeys(request.ReleaseKeys, "release");
        var verifyOnly = LoadKeys(request.VerifyOnlyKeys, "verify-only");
        var keys = root.Concat(release).Concat(verifyOnly).DistinctBy(k => k.KeyId).OrderBy(k => k.KeyId, StringComparer.Ordinal).ToList();
        var document = new RootDocument
        {
            Schema = RootDocument.SchemaName,
            Version = version,
            Expires = _timeProvider.NowToTheSecond() + request.ExpiresIn,
            Keys = keys.Select(k => new TrustDocumentKey { KeyId = k.KeyId, PublicKey = Convert.ToBase64String(k.PublicKey) }).ToList(),
            Roles = new RootRolesDocument
            {
                Root = new RoleDocument { Threshold = request.RootThreshold, KeyIds = Ids(root) },
                Release = new ReleaseRoleDocument { Threshold = request.ReleaseThreshold, KeyIds = Ids(release), VerifyOnlyKeyIds = verifyOnly.Count == 0 ? null : Ids(verifyOnly) },
            },
        };
        var bytes = StrictJson.Write(document, SecureUpdateJsonContext.Default.RootDocument);
        TrustRoot parsed;
        try
        {
            parsed = TrustRoot.ParseRootDocument(bytes);
        }
        catch (FormatException ex)
        {
            throw Error.Usage($"The trust root would not be valid: {ex.Message}.", stage: UpdateStage.Release);
        }

        _files.Write(request.Out, bytes);
        return new TrustDocumentResult(_fileSystem.Path.GetFullPath(request.Out), parsed);
    }

    /// <summary>
    /// Publishes the signed trust root in <paramref name="documentPath"/> (signatures in the <c>.sig</c>
    /// beside it) as <c>FEED/trust/N.json</c>: it must be the next version of the feed's chain and be signed
    /// by the root roles of the feed's newest root and of itself, each to its threshold, and not expired.
    /// </summary>
    /// <exception cref="VerificationException">Not enough signatures, not the next version, or expired; the feed is unchanged.</exception>
    public TrustDocumentResult Publish(string feed, string documentPath)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(documentPath);
        var feedRoot = _fileSystem.Path.GetFullPath(feed);
        var bytes = LocalFiles.ReadCapped(_fileSystem, documentPath, TrustRoot.MaxFileBytes, "trust root document");
        var signatures = PublishedFiles.ReadSignatures(_fileSystem, documentPath, UpdateStage.Trust, "trust root document");

        var newest = FeedTrust.ReadNewest(_fileSystem, feedRoot);
        var root = newest is null ? TrustChain.VerifyFirst(bytes, signatures) : TrustChain.VerifyNext(newest, bytes, signatures);
        if (root.Expires is { } expires && expires <= _timeProvider.GetUtcNow())
        {
            throw Error.TrustExpired(root.Version, expires);
        }

        var path = _fileSystem.Path.Combine(feedRoot, FeedPaths.TrustRoot(root.Version));
        _files.WriteSigned(path, bytes, signatures);
        return new TrustDocumentResult(path, root);
    }

    /// <summary>The newest root of a feed folder's chain (verified from its first root on), or null when it has none.</summary>
    /// <exception cref="VerificationException">A root of the chain does not verify.</exception>
    public TrustRoot? ReadFeed(string feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return FeedTrust.ReadNewest(_fileSystem, _fileSystem.Path.GetFullPath(feed));
    }

    private static List<string> Ids(IEnumerable<TrustedKey> keys) => keys.Select(k => k.KeyId).Order(StringComparer.Ordinal).ToList();

    private List<TrustedKey> LoadKeys(IReadOnlyList<string> files, string role)
    {
        var keys = new List<TrustedKey>();
        foreach (var file in files)
        {
            var root = TrustRoot.Load(_fileSystem, file);
            if (root.Version != 0)
            {
                throw Error.Usage($"'{Printable.Of(file)}' is a trust root document, not a public key file for the {role} role.", stage: UpdateStage.Release);
            }

            keys.AddRange(root.ReleaseRole.Keys);
        }

        return keys;
    }
}
