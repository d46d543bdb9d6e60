using System.Security.Cryptography;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Trust;

namespace SecureUpdate.Feed;

/// <summary>
/// Reads a channel's newest release from a feed in the verification order, for each document:
/// cap → SHA-256 of the exact bytes → signatures → only then parse → policy. One reader serves one
/// operation: its feed, trust (with the fallback's waiver), limits and clock reading are fixed.
/// </summary>
internal sealed class ReleaseReader
{
    private readonly IFeedSource _feed;
    private readonly TrustContext _trust;
    private readonly ManifestLimits _limits;
    private readonly DateTimeOffset _now;

    public ReleaseReader(IFeedSource feed, TrustContext trust, ManifestLimits limits, DateTimeOffset now)
    {
        _feed = feed;
        _trust = trust;
        _limits = limits;
        _now = now;
    }

    /// <summary>Reads, verifies and checks the channel pointer against the target's app, channel and floor.</summary>
    public async Task<ChannelPointer> ReadPointerAsync(string app, string channel, SemanticVersion? floor, CancellationToken cancellationToken)
    {
        var document = await FetchPointerIfChangedAsync(_feed, app, channel, null, cancellationToken).ConfigureAwait(false);
        return await VerifyPointerAsync(app, channel, floor, document.Bytes!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches the channel pointer's bytes, conditional on <paramref name="etag"/>: null bytes mean
    /// unchanged (one small 304). Nothing is trusted yet; <see cref="VerifyPointerAsync"/> decides.
    /// </summary>
    public static Task<FeedDocument> FetchPointerIfChangedAsync(IFeedSource feed, string app, string channel, string? etag, CancellationToken cancellationToken) =>
        feed.ReadDocumentIfChangedAsync(FeedPaths.Channel(app, channel), ManifestLimits.MaxChannelPointerBytes, UpdateStage.Channel, etag, cancellationToken);

    /// <summary>Verifies the pointer's signatures (or the waiver accepts it), then parses and checks it against the target.</summary>
    public async Task<ChannelPointer> VerifyPointerAsync(string app, string channel, SemanticVersion? floor, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            var signatures = await _feed.ReadSignaturesAsync(FeedPaths.Channel(app, channel), UpdateStage.Channel, "channel pointer", cancellationToken).ConfigureAwait(false);
            _trust.Verify(DocumentType.Channel, bytes, signatures, UpdateStage.Channel, "channel pointer");
        }
        catch (VerificationException ex) when (_trust.CanWaive(ex))
        {
            // The one place an unverified document is parsed, and only because the operator listed
            // a manifest: the capped pointer is read strictly just to learn which manifest it names,
            // and is accepted only when that manifest's digest is listed. The manifest is then
            // fetched and must hash to exactly that digest before anything else is read.
            var unsigned = DocumentParser.ParseChannelPointer(bytes);
            _trust.Waive(unsigned.ManifestSha256, ex, unsigned.Version.ToString(), "channel pointer");
        }

        var pointer = DocumentParser.ParseChannelPointer(bytes);
        ReleasePolicy.CheckPointer(pointer, app, channel, _now, floor);
        return pointer;
    }

    /// <summary>Reads the manifest the pointer binds (by digest and size), verifies its own signatures (or the waiver accepts it as listed), parses and checks it.</summary>
    public async Task<FetchedManifest> ReadManifestAsync(ChannelPointer pointer, CancellationToken cancellationToken)
    {
        var version = pointer.Version.ToString();
        if (pointer.ManifestSize > _limits.MaxManifestBytes)
        {
            throw Error.ManifestTooLarge(version, pointer.ManifestSize, _limits.MaxManifestBytes);
        }

        var path = FeedPaths.Manifest(pointer.App, pointer.Channel, version);
        var bytes = await _feed.ReadDocumentAsync(path, pointer.ManifestSize, UpdateStage.Manifest, cancellationToken).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), pointer.ManifestSha256))
        {
            throw Error.ManifestMismatch(UpdateStage.Manifest, version, $"The manifest of {version} is not the one its channel pointer signs.");
        }

        byte[] signatures = [];
        try
        {
            signatures = await _feed.ReadSignaturesAsync(path, UpdateStage.Manifest, "manifest", cancellationToken).ConfigureAwait(false);
            _trust.Verify(DocumentType.Manifest, bytes, signatures, UpdateStage.Manifest, "manifest");
        }
        catch (VerificationException ex) when (_trust.CanWaive(ex))
        {
            // Kept as received (possibly empty): the installed copy is checked the same way again.
            _trust.Waive(pointer.ManifestSha256, ex, version, "manifest");
        }

        var manifest = DocumentParser.ParseManifest(bytes, _limits);
        ReleasePolicy.CheckManifest(manifest, pointer, _now);
        return new FetchedManifest(manifest, bytes, signatures);
    }
}
