using System.Security.Cryptography;

namespace SecureUpdate.Trust;

/// <summary>Key ids: lowercase hex SHA-256 of the raw 32-byte public key.</summary>
internal static class KeyIds
{
    /// <summary>The key id of <paramref name="publicKey"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey));
}
