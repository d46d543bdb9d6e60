namespace SecureUpdate.Formats;

/// <summary>A <c>.pub</c> file (docs/formats.md).</summary>
internal sealed class PublicKeyDocument
{
    public const string SchemaName = "secure-update/public-key/v1";

    public required string Schema { get; init; }

    public required string Algorithm { get; init; }

    public required string KeyId { get; init; }

    public required string PublicKey { get; init; }
}
