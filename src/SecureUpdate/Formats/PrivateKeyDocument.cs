namespace SecureUpdate.Formats;

/// <summary>A <c>.key</c> file (docs/formats.md).</summary>
internal sealed class PrivateKeyDocument
{
    public const string SchemaName = "secure-update/private-key/v1";

    public required string Schema { get; init; }

    public required string Algorithm { get; init; }

    public required string KeyId { get; init; }

    public required string PrivateKey { get; init; }
}
