namespace SecureUpdate.Formats;

/// <summary>A passphrase-encrypted <c>.key</c> file (docs/formats.md).</summary>
internal sealed class EncryptedPrivateKeyDocument
{
    public const string SchemaName = "secure-update/encrypted-private-key/v1";

    public required string Schema { get; init; }

    public required string Algorithm { get; init; }

    public required string KeyId { get; init; }

    public required KeyDerivationDocument Kdf { get; init; }

    public required KeyEncryptionDocument Aead { get; init; }

    public required string Ciphertext { get; init; }
}
