using System.Security.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Formats;

namespace SecureUpdate.Trust;

/// <summary>
/// Steps 2–4 of the verification order (docs/architecture.md): SHA-256 of the exact bytes, then Ed25519
/// signatures over that digest counted once per distinct trusted key up to the threshold. The
/// document itself is not parsed here; callers parse only after this returns.
/// </summary>
internal static class DocumentVerifier
{
    /// <summary>Largest signature file read.</summary>
    public const int MaxSignatureFileBytes = 64 * 1024;

    /// <summary>Most signature entries looked at (endless-work defence).</summary>
    public const int MaxSignatureEntries = 64;

    /// <summary>Parses a signature file strictly: the known schema, no null entry.</summary>
    /// <exception cref="FormatException">It is not a valid signature envelope.</exception>
    internal static SignatureEnvelope ParseEnvelope(ReadOnlySpan<byte> signatureFile)
    {
        // The envelope is capped, strictly parsed, and holds only ids and signatures: it can
        // only ever cause a document to be accepted by carrying valid signatures.
        var envelope = StrictJson.Parse(signatureFile, SecureUpdateJsonContext.Default.SignatureEnvelope);

        // Strict parsing refuses null members but not null list items; an envelope with one is malformed.
        return envelope.Schema == SignatureEnvelope.SchemaName && !envelope.Signatures.Any(entry => entry is null)
            ? envelope
            : throw new FormatException("its schema is unknown or it holds a null entry");
    }

    /// <summary>Verifies a release document against the release role of <paramref name="trust"/>, verify-only keys not counted.</summary>
    /// <exception cref="VerificationException">The threshold of distinct trusted keys is not met.</exception>
    public static byte[] Verify(TrustRoot trust, DocumentType type, ReadOnlySpan<byte> document, ReadOnlySpan<byte> signatureFile, UpdateStage stage, string what) =>
        Verify(trust.ReleaseRole, includeVerifyOnly: false, type, document, signatureFile, stage, what);

    /// <summary>
    /// Verifies <paramref name="document"/> against <paramref name="signatureFile"/> for <paramref name="role"/>;
    /// returns the document's SHA-256. Verify-only keys count only when <paramref name="includeVerifyOnly"/>.
    /// </summary>
    /// <exception cref="VerificationException">The threshold of distinct trusted keys is not met.</exception>
    public static byte[] Verify(TrustRole role, bool includeVerifyOnly, DocumentType type, ReadOnlySpan<byte> document, ReadOnlySpan<byte> signatureFile, UpdateStage stage, string what)
    {
        var digest = SHA256.HashData(document);
        SignatureEnvelope envelope;
        try
        {
            envelope = ParseEnvelope(signatureFile);
        }
        catch (FormatException ex)
        {
            throw Error.SignatureFileInvalid(stage, what, ex);
        }

        var digestHex = Convert.ToHexStringLower(digest);
        if (!string.Equals(envelope.Sha256, digestHex, StringComparison.Ordinal))
        {
            throw Error.SignaturesForOtherBytes(stage, what);
        }

        var counted = CountSignatures(role, includeVerifyOnly, SignatureDomain.Message(type, digest), envelope);
        if (counted.Count < role.Threshold)
        {
            throw Error.ThresholdNotMet(stage, what, counted.Count, role.Threshold);
        }

        return digest;
    }

    /// <summary>
    /// The distinct keys of <paramref name="role"/> whose signature over <paramref name="message"/> in
    /// <paramref name="envelope"/> is valid, counted up to the role's threshold.
    /// </summary>
    internal static HashSet<string> CountSignatures(TrustRole role, bool includeVerifyOnly, byte[] message, SignatureEnvelope envelope)
    {
        var counted = new HashSet<string>(StringComparer.Ordinal);
        var signature = new byte[Ed25519.SignatureSize];
        foreach (var entry in envelope.Signatures.Take(MaxSignatureEntries))
        {
            if (counted.Count >= role.Threshold)
            {
                break;
            }

            // Each trusted key counts once, however many entries name it: one key cannot meet a threshold alone.
            if (counted.Contains(entry.KeyId) || !role.TryGetKey(entry.KeyId, includeVerifyOnly, out var key))
            {
                continue;
            }

            if (!Convert.TryFromBase64String(entry.Signature, signature, out var written) || written != Ed25519.SignatureSize)
            {
                continue;
            }

            if (Ed25519.Verify(key.PublicKey, message, signature))
            {
                counted.Add(entry.KeyId);
            }
        }

        return counted;
    }
}
