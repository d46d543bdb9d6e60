namespace SecureUpdate.Formats;

/// <summary>A release manifest as it is on the wire (docs/formats.md).</summary>
internal sealed class ManifestDocument
{
    public const string SchemaName = "secure-update/manifest/v1";

    public required string Schema { get; init; }

    public required string App { get; init; }

    public required string Channel { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset Published { get; init; }

    public required DateTimeOffset Expires { get; init; }

    public required IReadOnlyList<ManifestFileDocument> Files { get; init; }
}
