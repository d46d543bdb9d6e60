using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>
/// The pinned trust root: Ed25519 public keys and a threshold (k of n). It comes only from a
/// local file the operator chose; nothing fetched from a feed can add to it.
/// </summary>
public sealed class TrustRoot
{
    /// <summary>Largest trust file read.</summary>
    internal const int MaxFileBytes = 64 * 1024;

    /// <summary>Most keys one trust root may pin.</summary>
    internal const int MaxKeys = 64;

    private readonly Dictionary<string, TrustedKey> _keys;

    internal TrustRoot(IEnumerable<TrustedKey> keys, int threshold)
    {
        _keys = new Dictionary<string, TrustedKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!_keys.TryAdd(key.KeyId, key))
            {
                throw new FormatException($"key {key.KeyId} is listed twice");
            }
        }

        if (_keys.Count == 0 || _keys.Count > MaxKeys)
        {
            throw new FormatException($"a trust root pins 1 to {MaxKeys} keys");
        }

        if (threshold < 1 || threshold > _keys.Count)
        {
            throw new FormatException($"threshold {threshold} is not between 1 and the {_keys.Count} keys pinned");
        }

        Threshold = threshold;
    }

    /// <summary>How many distinct trusted keys must sign a document.</summary>
    public int Threshold { get; }

    /// <summary>How many keys are pinned.</summary>
    public int KeyCount => _keys.Count;

    /// <summary>Reads a trust file or a single <c>.pub</c> file (threshold 1).</summary>
    /// <exception cref="ConfigurationException">The file is missing, too large, or not a valid trust root.</exception>
    public static TrustRoot Load(IFileSystem fileSystem, string path)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(path);
        var bytes = LocalFiles.ReadCapped(fileSystem, path, MaxFileBytes, "trust file");
        try
        {
            return Parse(bytes);
        }
        catch (FormatException ex)
        {
            throw Error.FileInvalid("trust file", path, ex.Message, ex);
        }
    }

    /// <summary>Parses a trust file or a public key file.</summary>
    internal static TrustRoot Parse(ReadOnlySpan<byte> bytes)
    {
        var schema = StrictJson.ReadSchema(bytes);
        if (schema == PublicKeyDocument.SchemaName)
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.PublicKeyDocument);
            if (doc.Algorithm != "ed25519")
            {
                throw new FormatException($"algorithm '{doc.Algorithm}' is not supported");
            }

            return new TrustRoot([DecodeKey(doc.KeyId, doc.PublicKey)], 1);
        }

        if (schema == TrustDocument.SchemaName)
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.TrustDocument);
            if (doc.Keys.Any(k => k is null))
            {
                throw new FormatException("a key entry is null");
            }

            return new TrustRoot(doc.Keys.Select(k => DecodeKey(k.KeyId, k.PublicKey)).ToList(), doc.Threshold);
        }

        throw new FormatException("it is neither a public key file nor a trust file");
    }

    /// <summary>Decodes and checks a pinned key: 32 bytes, a valid point not of small order, and the id it claims.</summary>
    internal static TrustedKey DecodeKey(string keyId, string publicKeyBase64)
    {
        var raw = new byte[Ed25519.PublicKeySize];
        if (!Convert.TryFromBase64String(publicKeyBase64, raw, out var written) || written != Ed25519.PublicKeySize)
        {
            throw new FormatException("a public key is not 32 bytes of base64");
        }

        // Threat: a crafted key (small order, non-canonical) can make forged signatures verify
        // under some implementations; refuse it when it is pinned, not only when it is used.
        if (!Ed25519PointValidator.IsValidPublicKey(raw))
        {
            throw new FormatException("a public key is not a valid Ed25519 point");
        }

        var computed = KeyIds.Compute(raw);
        if (!string.Equals(computed, keyId, StringComparison.Ordinal))
        {
            throw new FormatException($"key id {keyId} does not match its public key");
        }

        return new TrustedKey(computed, raw);
    }

    internal bool TryGetKey(string keyId, out TrustedKey key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>This trust root as a trust file, to pin it inside a target.</summary>
    internal byte[] ToTrustFile() =>
        StrictJson.Write(
            new TrustDocument
            {
                Schema = TrustDocument.SchemaName,
                Threshold = Threshold,
                Keys = _keys.Values.OrderBy(k => k.KeyId, StringComparer.Ordinal).Select(k => new TrustDocumentKey { KeyId = k.KeyId, PublicKey = Convert.ToBase64String(k.PublicKey) }).ToList(),
            },
            SecureUpdateJsonContext.Default.TrustDocument);
}
