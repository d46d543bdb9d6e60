using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>
/// A trust root: the keys and thresholds of two roles, <see cref="RootRole"/> (signs trust roots)
/// and <see cref="ReleaseRole"/> (signs manifests and channel pointers). A versioned root
/// (<c>secure-update/root/v1</c>, <see cref="Version"/> 1, 2, …) is published in a feed as
/// <c>trust/N.json</c> and rotates: root N+1 counts only when the root roles of both N and N+1 signed
/// it. A <c>.pub</c> file or a <c>trust/v1</c> file is a starting root, version 0, whose two roles are
/// its keys. The first root a target pins comes only from a local file the operator chose.
/// </summary>
public sealed class TrustRoot
{
    /// <summary>Largest trust file or trust root document read.</summary>
    internal const int MaxFileBytes = 64 * 1024;

    /// <summary>Most keys one trust root may name.</summary>
    internal const int MaxKeys = 64;

    private TrustRoot(int version, DateTimeOffset? expires, TrustRole root, TrustRole release, byte[] bytes)
    {
        Version = version;
        Expires = expires;
        RootRole = root;
        ReleaseRole = release;
        Bytes = bytes;
    }

    /// <summary>The root's version: 1, 2, … for a trust root document; 0 for a <c>.pub</c> or <c>trust/v1</c> file.</summary>
    public int Version { get; }

    /// <summary>When the root stops updates (a newer root must be published by then); null for a starting root of version 0.</summary>
    public DateTimeOffset? Expires { get; }

    /// <summary>The keys and threshold that sign trust roots.</summary>
    public TrustRole RootRole { get; }

    /// <summary>The keys and threshold that sign manifests and channel pointers.</summary>
    public TrustRole ReleaseRole { get; }

    /// <summary>
    /// The bytes this root is pinned as and compared by: a trust root document exactly as received,
    /// or, for version 0, the canonical <c>trust/v1</c> form of its keys and threshold.
    /// </summary>
    internal byte[] Bytes { get; }

    /// <summary>Reads a <c>.pub</c> file, a <c>trust/v1</c> file, or a trust root document from the local disk.</summary>
    /// <param name="path">The file, absolute or relative to the current directory.</param>
    /// <exception cref="ConfigurationException">The file is missing, too large, or not a valid trust root.</exception>
    public static TrustRoot Load(string path) => Load(new FileSystem(), path);

    /// <summary>Reads a <c>.pub</c> file, a <c>trust/v1</c> file, or a trust root document through <paramref name="fileSystem"/>.</summary>
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

    /// <summary>Parses any kind of trust file.</summary>
    /// <exception cref="FormatException">It is not a valid trust root.</exception>
    internal static TrustRoot Parse(ReadOnlySpan<byte> bytes)
    {
        var schema = StrictJson.ReadSchema(bytes);
        if (schema == RootDocument.SchemaName)
        {
            return ParseRootDocument(bytes);
        }

        if (schema == PublicKeyDocument.SchemaName)
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.PublicKeyDocument);
            if (doc.Algorithm != "ed25519")
            {
                throw new FormatException($"algorithm '{doc.Algorithm}' is not supported");
            }

            return Starting([DecodeKey(doc.KeyId, doc.PublicKey)], 1);
        }

        if (schema == TrustDocument.SchemaName)
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.TrustDocument);
            if (doc.Keys.Any(k => k is null))
            {
                throw new FormatException("a key entry is null");
            }

            return Starting(doc.Keys.Select(k => DecodeKey(k.KeyId, k.PublicKey)).ToList(), doc.Threshold);
        }

        throw new FormatException("it is neither a public key file nor a trust file (nor a trust root document)");
    }

    /// <summary>Parses a trust root document (<c>secure-update/root/v1</c>); its signatures are the caller's business.</summary>
    /// <exception cref="FormatException">It is not a valid trust root document.</exception>
    internal static TrustRoot ParseRootDocument(ReadOnlySpan<byte> bytes)
    {
        var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.RootDocument);
        if (doc.Schema != RootDocument.SchemaName)
        {
            throw new FormatException($"the schema is not {RootDocument.SchemaName}");
        }

        if (doc.Version < 1)
        {
            throw new FormatException("the version is not 1 or more");
        }

        // The ceiling keeps "version + 1" (the next root a client asks for) from overflowing.
        if (doc.Version == int.MaxValue)
        {
            throw new FormatException($"the version is above {int.MaxValue - 1}");
        }

        if (doc.Keys.Count > MaxKeys || doc.Keys.Any(k => k is null))
        {
            throw new FormatException($"a trust root names 1 to {MaxKeys} keys, none of them null");
        }

        var keys = new Dictionary<string, TrustedKey>(StringComparer.Ordinal);
        foreach (var entry in doc.Keys)
        {
            var key = DecodeKey(entry.KeyId, entry.PublicKey);
            if (!keys.TryAdd(key.KeyId, key))
            {
                throw new FormatException($"key {key.KeyId} is listed twice");
            }
        }

        var root = new TrustRole(Resolve(keys, doc.Roles.Root.KeyIds, "root"), doc.Roles.Root.Threshold);
        var release = new TrustRole(
            Resolve(keys, doc.Roles.Release.KeyIds, "release"),
            doc.Roles.Release.Threshold,
            Resolve(keys, doc.Roles.Release.VerifyOnlyKeyIds ?? [], "release verify-only"));
        return new TrustRoot(doc.Version, doc.Expires, root, release, bytes.ToArray());
    }

    /// <summary>Decodes and checks a key: 32 bytes, a valid point not of small order, and the id it claims.</summary>
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

    /// <summary>Whether <paramref name="other"/> is this very root (the same version and the same pinned bytes).</summary>
    internal bool IsSameAs(TrustRoot other) => other.Version == Version && Bytes.AsSpan().SequenceEqual(other.Bytes);

    /// <summary>A starting root (version 0): one set of keys and one threshold for both roles, pinned in its canonical <c>trust/v1</c> form.</summary>
    private static TrustRoot Starting(IReadOnlyList<TrustedKey> keys, int threshold)
    {
        var role = new TrustRole(keys, threshold);
        var canonical = StrictJson.Write(
            new TrustDocument
            {
                Schema = TrustDocument.SchemaName,
                Threshold = threshold,
                Keys = keys.OrderBy(k => k.KeyId, StringComparer.Ordinal).Select(k => new TrustDocumentKey { KeyId = k.KeyId, PublicKey = Convert.ToBase64String(k.PublicKey) }).ToList(),
            },
            SecureUpdateJsonContext.Default.TrustDocument);
        return new TrustRoot(0, null, role, role, canonical);
    }

    private static List<TrustedKey> Resolve(Dictionary<string, TrustedKey> keys, IReadOnlyList<string> keyIds, string role)
    {
        var resolved = new List<TrustedKey>(keyIds.Count);
        foreach (var keyId in keyIds)
        {
            if (keyId is null || !keys.TryGetValue(keyId, out var key))
            {
                throw new FormatException($"the {role} role names a key the root does not list");
            }

            resolved.Add(key);
        }

        return resolved;
    }
}
