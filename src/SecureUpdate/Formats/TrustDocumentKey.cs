namespace SecureUpdate.Formats;

/// <summary>One key of a trust file.</summary>
internal sealed class TrustDocumentKey
{
    public required string KeyId { get; init; }

    public required string PublicKey { get; init; }
}
