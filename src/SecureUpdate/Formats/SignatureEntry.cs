namespace SecureUpdate.Formats;

/// <summary>One signature of a <see cref="SignatureEnvelope"/>.</summary>
internal sealed class SignatureEntry
{
    public required string KeyId { get; init; }

    public required string Signature { get; init; }
}
