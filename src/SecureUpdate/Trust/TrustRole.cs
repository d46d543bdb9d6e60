namespace SecureUpdate.Trust;

/// <summary>
/// One role of a trust root: the keys that may sign for it and how many distinct ones must (k of
/// n). The release role may also name verify-only keys: retired keys whose signatures still count
/// for versions already installed, never for a new release.
/// </summary>
public sealed class TrustRole
{
    private readonly Dictionary<string, TrustedKey> _keys;
    private readonly Dictionary<string, TrustedKey> _verifyOnly;

    internal TrustRole(IEnumerable<TrustedKey> keys, int threshold, IEnumerable<TrustedKey>? verifyOnly = null)
    {
        _keys = ById(keys, "the role");
        _verifyOnly = ById(verifyOnly ?? [], "the verify-only keys");
        if (_keys.Count == 0 || _keys.Count > TrustRoot.MaxKeys)
        {
            throw new FormatException($"a role pins 1 to {TrustRoot.MaxKeys} keys");
        }

        if (threshold < 1 || threshold > _keys.Count)
        {
            throw new FormatException($"threshold {threshold} is not between 1 and the role's {_keys.Count} keys");
        }

        if (_verifyOnly.Keys.FirstOrDefault(_keys.ContainsKey) is { } both)
        {
            throw new FormatException($"key {both} is both a signing and a verify-only key of the role");
        }

        Threshold = threshold;
        KeyIds = [.. _keys.Keys.Order(StringComparer.Ordinal)];
        VerifyOnlyKeyIds = [.. _verifyOnly.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>How many distinct keys of the role must sign a document.</summary>
    public int Threshold { get; }

    /// <summary>The keys that sign for the role, by key id (lowercase hex SHA-256 of the public key).</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>Retired keys whose signatures count only for versions already installed.</summary>
    public IReadOnlyList<string> VerifyOnlyKeyIds { get; }

    internal IEnumerable<TrustedKey> Keys => _keys.Values;

    /// <summary>The key with <paramref name="keyId"/>, counting verify-only keys only when <paramref name="includeVerifyOnly"/>.</summary>
    internal bool TryGetKey(string keyId, bool includeVerifyOnly, out TrustedKey key) =>
        _keys.TryGetValue(keyId, out key!) || (includeVerifyOnly && _verifyOnly.TryGetValue(keyId, out key!));

    private static Dictionary<string, TrustedKey> ById(IEnumerable<TrustedKey> keys, string what)
    {
        var byId = new Dictionary<string, TrustedKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!byId.TryAdd(key.KeyId, key))
            {
                throw new FormatException($"key {key.KeyId} is listed twice in {what}");
            }
        }

        return byId;
    }
}
