using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>
/// An <see cref="IDocumentSigner"/> whose private key never leaves an HSM: every signature is made
/// inside the token with <c>CKM_EDDSA</c> (pure Ed25519) over <see cref="SignatureDomain.Message"/>,
/// and checked with <see cref="Ed25519.Verify"/> under the token's public key before it is used.
/// Opened from a key reference by <see cref="KeyFiles.Load"/>; disposing logs out, closes the
/// session and finalises the module.
/// </summary>
internal sealed class Pkcs11Signer : IDocumentSigner
{
    private readonly Pkcs11Token _token;
    private readonly nuint _privateKey;
    private readonly string _keyLabel;

    private Pkcs11Signer(Pkcs11Token token, nuint privateKey, string keyLabel, byte[] publicKey, string keyId)
    {
        _token = token;
        _privateKey = privateKey;
        _keyLabel = keyLabel;
        PublicKey = publicKey;
        KeyId = keyId;
    }

    /// <inheritdoc />
    public string KeyId { get; }

    /// <inheritdoc />
    public byte[] PublicKey { get; }

    /// <summary>
    /// Logs in to the token <paramref name="reference"/> names and finds its key pair; refuses unless
    /// the token's public key has the reference's key id.
    /// </summary>
    /// <exception cref="ConfigurationException">The PIN variable is unset, the module, token or key is missing, the PIN is wrong, or the key is another one.</exception>
    public static Pkcs11Signer Open(Pkcs11KeyReference reference, string path)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var token = Pkcs11Token.Open(reference.Module, reference.TokenLabel, reference.PinVariable, readWrite: false);
        try
        {
            var privateKey = token.FindKey(Pkcs11Constants.PrivateKeyClass, reference.KeyLabel, reference.CkaId);
            var publicKey = token.ReadEd25519PublicKey(token.FindKey(Pkcs11Constants.PublicKeyClass, reference.KeyLabel, reference.CkaId), reference.KeyLabel);
            var keyId = KeyIds.Compute(publicKey);
            if (!string.Equals(keyId, reference.KeyId, StringComparison.Ordinal))
            {
                throw Error.Pkcs11KeyMismatch(path, reference.TokenLabel, reference.KeyLabel, reference.KeyId, keyId);
            }

            token.CheckSigningKey(privateKey, reference.KeyLabel);
            return new Pkcs11Signer(token, privateKey, reference.KeyLabel, publicKey, keyId);
        }
        catch
        {
            token.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ConfigurationException">The token failed, or its signature does not verify.</exception>
    public SignatureEntry Sign(DocumentType type, ReadOnlySpan<byte> digest)
    {
        var message = SignatureDomain.Message(type, digest);
        var signature = _token.SignEd25519(_privateKey, message);
        if (!Ed25519.Verify(PublicKey, message, signature))
        {
            throw Error.Pkcs11SignatureInvalid(_token.Label, _keyLabel);
        }

        return new SignatureEntry { KeyId = KeyId, Signature = Convert.ToBase64String(signature) };
    }

    /// <inheritdoc />
    public void Dispose() => _token.Dispose();
}
