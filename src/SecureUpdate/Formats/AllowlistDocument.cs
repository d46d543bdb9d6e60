namespace SecureUpdate.Formats;

/// <summary>A hash allowlist as an operator writes it (docs/formats.md).</summary>
internal sealed class AllowlistDocument
{
    public const string SchemaName = "secure-update/allowlist/v1";

    public required string Schema { get; init; }

    public required IReadOnlyList<AllowlistEntryDocument> Entries { get; init; }
}
