namespace SecureUpdate.Trust;

/// <summary>Checks that 32 bytes encode a usable Ed25519 public key (RFC 8032 section 5.1.3).</summary>
internal static class Ed25519PointValidator
{
    /// <summary>True when the encoding is canonical, decodes to a curve point, and the point is not of small order.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => throw new NotImplementedException();
}
