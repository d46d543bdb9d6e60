using SecureUpdate.Formats;

namespace SecureUpdate.Trust;

/// <summary>
/// A private key that signs documents, wherever it lives: a key file (plain or encrypted with a
/// passphrase) or a key inside an HSM. Every signature is Ed25519 over
/// <see cref="SignatureDomain.Message"/> of the document's type and SHA-256, so they all verify alike.
/// </summary>
internal interface IDocumentSigner : IDisposable
{
    /// <summary>Lowercase hex SHA-256 of <see cref="PublicKey"/>.</summary>
    string KeyId { get; }

    /// <summary>The raw 32-byte Ed25519 public key.</summary>
    byte[] PublicKey { get; }

    /// <summary>Signs the document of <paramref name="type"/> whose SHA-256 is <paramref name="digest"/>.</summary>
    SignatureEntry Sign(DocumentType type, ReadOnlySpan<byte> digest);
}
