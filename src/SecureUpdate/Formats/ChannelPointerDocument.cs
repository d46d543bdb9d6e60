namespace SecureUpdate.Formats;

/// <summary>A channel pointer as it is on the wire (docs/formats.md).</summary>
internal sealed class ChannelPointerDocument
{
    public const string SchemaName = "secure-update/channel/v1";

    public required string Schema { get; init; }

    public required string App { get; init; }

    public required string Channel { get; init; }

    public required string Version { get; init; }

    public required string ManifestSha256 { get; init; }

    public required long ManifestSize { get; init; }

    public required DateTimeOffset Published { get; init; }

    public required DateTimeOffset Expires { get; init; }

    /// <summary>Staged rollout: the percentage of hosts (by stable bucket) that take this version; absent means all.</summary>
    public int? Rollout { get; init; }
}
