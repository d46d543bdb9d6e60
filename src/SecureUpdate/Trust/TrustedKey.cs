namespace SecureUpdate.Trust;

/// <summary>One pinned Ed25519 public key, already checked to be a valid point.</summary>
internal sealed class TrustedKey
{
    public TrustedKey(string keyId, byte[] publicKey)
    {
        KeyId = keyId;
        PublicKey = publicKey;
    }

    /// <summary>Lowercase hex SHA-256 of <see cref="PublicKey"/>.</summary>
    public string KeyId { get; }

    /// <summary>The raw 32-byte public key.</summary>
    public byte[] PublicKey { get; }
}
