namespace SecureUpdate.Formats;

/// <summary>The <c>kdf</c> of an encrypted private key file: how the passphrase becomes the encryption key.</summary>
internal sealed class KeyDerivationDocument
{
    public required string Name { get; init; }

    public required int MemoryKiB { get; init; }

    public required int Passes { get; init; }

    public required int Parallelism { get; init; }

    public required string Salt { get; init; }
}
