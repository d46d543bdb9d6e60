namespace SecureUpdate.Formats;

/// <summary>A trust file: several keys and a threshold (docs/formats.md).</summary>
internal sealed class TrustDocument
{
    public const string SchemaName = "secure-update/trust/v1";

    public required string Schema { get; init; }

    public required int Threshold { get; init; }

    public required IReadOnlyList<TrustDocumentKey> Keys { get; init; }
}
