using System.Security.Cryptography;
using SecureUpdate.Fallback;
using SecureUpdate.Manifests;
using SecureUpdate.Trust;

namespace SecureUpdate.Feed;

/// <summary>
/// Reads a channel's newest release from a feed in DESIGN.md's verification order, for each
/// document: cap → SHA-256 of the exact bytes → signatures → only then parse → policy.
/// </summary>
internal static class ReleaseReader
{
    /// <summary>Reads, verifies and checks the channel pointer; a waiver (hash-allowlist) accepts one whose signatures fail when the manifest it binds is listed.</summary>
    public static async Task<ChannelPointer> ReadPointerAsync(IFeedSource feed, TrustRoot trust, string app, string channel, DateTimeOffset now, SemanticVersion? floor, SignatureWaiver? waiver, CancellationToken cancellationToken) =>
        (await ReadPointerIfChangedAsync(feed, trust, app, channel, now, floor, waiver, null, cancellationToken).ConfigureAwait(false)).Pointer!;

    /// <summary>Like <see cref="ReadPointerAsync"/>, conditional on <paramref name="etag"/>: a null pointer means unchanged.</summary>
    public static async Task<(ChannelPointer? Pointer, string? ETag)> ReadPointerIfChangedAsync(IFeedSource feed, TrustRoot trust, string app, string channel, DateTimeOffset now, SemanticVersion? floor, SignatureWaiver? waiver, string? etag, CancellationToken cancellationToken)
    {
        var path = FeedPaths.Channel(app, channel);
        var document = await feed.ReadDocumentIfChangedAsync(path, ManifestLimits.MaxChannelPointerBytes, UpdateStage.Channel, etag, cancellationToken).ConfigureAwait(false);
        if (document.Bytes is not { } bytes)
        {
            return (null, document.ETag);
        }

        try
        {
            var signatures = await ReadSignaturesAsync(feed, path, UpdateStage.Channel, "channel pointer", cancellationToken).ConfigureAwait(false);
            DocumentVerifier.Verify(trust, DocumentType.Channel, bytes, signatures, UpdateStage.Channel, "channel pointer");
        }
        catch (VerificationException ex) when (waiver is not null && ex.Code == ErrorCode.Signature)
        {
            // The one place an unverified document is parsed, and only because the operator listed
            // a manifest: the capped pointer is read strictly just to learn which manifest it names,
            // and is accepted only when that manifest's digest is listed. The manifest is then
            // fetched and must hash to exactly that digest before anything else is read.
            var unsigned = DocumentParser.ParseChannelPointer(bytes);
            waiver.Waive(unsigned.ManifestSha256, ex, UpdateStage.Channel, unsigned.Version.ToString(), "channel pointer");
        }

        var pointer = DocumentParser.ParseChannelPointer(bytes);
        ReleasePolicy.CheckPointer(pointer, app, channel, now, floor);
        return (pointer, document.ETag);
    }

    /// <summary>Reads the manifest the pointer binds (by digest and size), verifies its own signatures (or a waiver accepts it as listed), parses and checks it.</summary>
    public static async Task<(ReleaseManifest Manifest, byte[] Bytes, byte[] Signatures)> ReadManifestAsync(IFeedSource feed, TrustRoot trust, ChannelPointer pointer, DateTimeOffset now, ManifestLimits limits, SignatureWaiver? waiver, CancellationToken cancellationToken)
    {
        var version = pointer.Version.ToString();
        if (pointer.ManifestSize > limits.MaxManifestBytes)
        {
            throw new VerificationException(ErrorCode.TooLarge, UpdateStage.Manifest, $"The manifest of {version} is {pointer.ManifestSize} bytes; the limit is {limits.MaxManifestBytes}.");
        }

        var path = FeedPaths.Manifest(pointer.App, pointer.Channel, version);
        var bytes = await feed.ReadDocumentAsync(path, pointer.ManifestSize, UpdateStage.Manifest, cancellationToken).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), pointer.ManifestSha256))
        {
            throw new VerificationException(ErrorCode.ManifestMismatch, UpdateStage.Manifest, $"The manifest of {version} is not the one its channel pointer signs.");
        }

        byte[] signatures = [];
        try
        {
            signatures = await ReadSignaturesAsync(feed, path, UpdateStage.Manifest, "manifest", cancellationToken).ConfigureAwait(false);
            DocumentVerifier.Verify(trust, DocumentType.Manifest, bytes, signatures, UpdateStage.Manifest, "manifest");
        }
        catch (VerificationException ex) when (waiver is not null && ex.Code == ErrorCode.Signature)
        {
            // Kept as received (possibly empty): the installed copy is checked the same way again.
            waiver.Waive(pointer.ManifestSha256, ex, UpdateStage.Manifest, version, "manifest");
        }

        var manifest = DocumentParser.ParseManifest(bytes, limits);
        ReleasePolicy.CheckManifest(manifest, pointer, now);
        return (manifest, bytes, signatures);
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
}
