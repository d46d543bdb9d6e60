namespace SecureUpdate.Formats;

/// <summary>One allowlist entry: a manifest digest, until when it is accepted, and why.</summary>
internal sealed class AllowlistEntryDocument
{
    public required string ManifestSha256 { get; init; }

    public required DateTimeOffset Expires { get; init; }

    public string? Note { get; init; }
}
