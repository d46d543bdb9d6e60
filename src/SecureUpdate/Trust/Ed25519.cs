using NSec.Cryptography;

namespace SecureUpdate.Trust;

/// <summary>
/// The one Ed25519 verify primitive every signature check goes through (and the
/// Wycheproof vectors are run against), so there is a single path to audit.
/// </summary>
internal static class Ed25519
{
    /// <summary>Size of a raw public key.</summary>
    public const int PublicKeySize = 32;

    /// <summary>Size of a signature.</summary>
    public const int SignatureSize = 64;

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="message"/>. A bad signature,
    /// a malformed or invalid public key, or a wrong length is a normal <c>false</c>.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        if (!Ed25519PointValidator.IsValidPublicKey(publicKey))
        {
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key, message, signature);
    }
}
