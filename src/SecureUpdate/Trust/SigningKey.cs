using System.IO.Abstractions;
using System.Security.Cryptography;
using NSec.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>An Ed25519 private key used by the release side to sign documents.</summary>
internal sealed class SigningKey : IDocumentSigner
{
    private readonly Key _key;

    private SigningKey(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = KeyIds.Compute(PublicKey);
    }

    /// <summary>Lowercase hex SHA-256 of the public key.</summary>
    public string KeyId { get; }

    /// <summary>The raw 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Creates a new random key.</summary>
    public static SigningKey Generate() =>
        new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Reads a plain private key file's bytes (<see cref="KeyFiles.Load"/> picks this by schema).</summary>
    /// <exception cref="ConfigurationException">It is not a valid private key.</exception>
    public static SigningKey Parse(ReadOnlySpan<byte> bytes, string path)
    {
        var seed = new byte[32];
        try
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.PrivateKeyDocument);
            if (doc.Schema != PrivateKeyDocument.SchemaName || doc.Algorithm != "ed25519")
            {
                throw new FormatException("it is not an ed25519 private key file");
            }

            if (!Convert.TryFromBase64String(doc.PrivateKey, seed, out var written) || written != seed.Length)
            {
                throw new FormatException("the private key is not 32 bytes of base64");
            }

            var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            var signingKey = new SigningKey(key);
            if (!string.Equals(signingKey.KeyId, doc.KeyId, StringComparison.Ordinal))
            {
                signingKey.Dispose();
                throw new FormatException("its key id does not match the key");
            }

            return signingKey;
        }
        catch (FormatException ex)
        {
            throw Error.FileInvalid("private key file", path, ex.Message, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// A key from its 32-byte seed, as an encrypted key file holds it once unlocked. The key cannot
    /// be exported again: nothing needs its seed after this.
    /// </summary>
    public static SigningKey FromSeed(ReadOnlySpan<byte> seed) =>
        new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey));

    /// <summary>Writes the 32-byte seed into <paramref name="seed"/>, for sealing; the caller zeroes it.</summary>
    public void ExportSeed(Span<byte> seed)
    {
        if (!_key.TryExport(KeyBlobFormat.RawPrivateKey, seed, out var written) || written != 32)
        {
            throw new InvalidOperationException("The key's seed cannot be exported.");
        }
    }

    /// <summary>The private key file's bytes. The caller writes them owner-only.</summary>
    public byte[] ExportPrivateKeyFile()
    {
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            return StrictJson.Write(
                new PrivateKeyDocument { Schema = PrivateKeyDocument.SchemaName, Algorithm = "ed25519", KeyId = KeyId, PrivateKey = Convert.ToBase64String(seed) },
                SecureUpdateJsonContext.Default.PrivateKeyDocument);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The public key file's bytes.</summary>
    public byte[] ExportPublicKeyFile() => PublicKeyFile(KeyId, PublicKey);

    /// <summary>The bytes of a public key file (<c>secure-update/public-key/v1</c>) for any Ed25519 key, in a file or a token.</summary>
    internal static byte[] PublicKeyFile(string keyId, byte[] publicKey) =>
        StrictJson.Write(
            new PublicKeyDocument { Schema = PublicKeyDocument.SchemaName, Algorithm = "ed25519", KeyId = keyId, PublicKey = Convert.ToBase64String(publicKey) },
            SecureUpdateJsonContext.Default.PublicKeyDocument);

    /// <summary>Signs the document whose SHA-256 is <paramref name="digest"/>.</summary>
    public SignatureEntry Sign(DocumentType type, ReadOnlySpan<byte> digest) =>
        new() { KeyId = KeyId, Signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(_key, SignatureDomain.Message(type, digest))) };

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
