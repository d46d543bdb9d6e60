using System.Text.Json.Serialization;

namespace SecureUpdate.Cli;

/// <summary>The one JSON object a command prints with <c>--json</c>. Names are part of the contract.</summary>
internal sealed class CommandOutput
{
    [JsonPropertyName("command")]
    public required string Command { get; init; }

    [JsonPropertyName("outcome")]
    public required string Outcome { get; init; }

    [JsonPropertyName("app")]
    public string? App { get; init; }

    [JsonPropertyName("channel")]
    public string? Channel { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("previousVersion")]
    public string? PreviousVersion { get; init; }

    [JsonPropertyName("manifestSha256")]
    public string? ManifestSha256 { get; init; }

    [JsonPropertyName("target")]
    public string? Target { get; init; }

    [JsonPropertyName("floor")]
    public string? Floor { get; init; }

    [JsonPropertyName("installedVersions")]
    public IReadOnlyList<string>? InstalledVersions { get; init; }

    [JsonPropertyName("files")]
    public int? Files { get; init; }

    [JsonPropertyName("bytes")]
    public long? Bytes { get; init; }

    [JsonPropertyName("filesDownloaded")]
    public int? FilesDownloaded { get; init; }

    [JsonPropertyName("filesReused")]
    public int? FilesReused { get; init; }

    [JsonPropertyName("bytesDownloaded")]
    public long? BytesDownloaded { get; init; }

    [JsonPropertyName("expires")]
    public DateTimeOffset? Expires { get; init; }

    [JsonPropertyName("keyId")]
    public string? KeyId { get; init; }

    [JsonPropertyName("privateKeyFile")]
    public string? PrivateKeyFile { get; init; }

    [JsonPropertyName("publicKeyFile")]
    public string? PublicKeyFile { get; init; }

    [JsonPropertyName("rejectedVersions")]
    public IReadOnlyList<string>? RejectedVersions { get; init; }

    [JsonPropertyName("pendingVersion")]
    public string? PendingVersion { get; init; }

    [JsonPropertyName("pendingDeadline")]
    public DateTimeOffset? PendingDeadline { get; init; }

    [JsonPropertyName("rollout")]
    public int? Rollout { get; init; }

    [JsonPropertyName("events")]
    public IReadOnlyList<AuditEvent>? Events { get; init; }

    [JsonPropertyName("chainIntact")]
    public bool? ChainIntact { get; init; }

    [JsonPropertyName("trustVersion")]
    public int? TrustVersion { get; init; }

    [JsonPropertyName("trust")]
    public TrustOutput? Trust { get; init; }

    [JsonPropertyName("document")]
    public string? Document { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("signatures")]
    public int? Signatures { get; init; }

    [JsonPropertyName("file")]
    public string? File { get; init; }

    [JsonPropertyName("keyIds")]
    public IReadOnlyList<string>? KeyIds { get; init; }

    [JsonPropertyName("payloadBytes")]
    public long? PayloadBytes { get; init; }

    [JsonPropertyName("stage")]
    public string? Stage { get; init; }

    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
