namespace SecureUpdate.Formats;

/// <summary>The <c>aead</c> of an encrypted private key file: the cipher that seals the seed, and its nonce.</summary>
internal sealed class KeyEncryptionDocument
{
    public required string Name { get; init; }

    public required string Nonce { get; init; }
}
