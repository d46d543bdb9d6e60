namespace SecureUpdate.Formats;

/// <summary>A detached <c>.sig</c> file (docs/formats.md).</summary>
internal sealed class SignatureEnvelope
{
    public const string SchemaName = "secure-update/signatures/v1";

    public required string Schema { get; init; }

    public required string Sha256 { get; init; }

    public required IReadOnlyList<SignatureEntry> Signatures { get; init; }
}
