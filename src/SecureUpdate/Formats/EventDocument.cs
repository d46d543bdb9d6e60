using System.Text.Json.Serialization;

namespace SecureUpdate.Formats;

/// <summary>
/// One line of <c>events.log</c>: what happened, and the SHA-256 of the line before it. Every line
/// carries every field: <c>error_code</c>, <c>error_name</c> and <c>version</c> are written as JSON
/// null when there is none, never left out (docs/formats.md, "Audit log").
/// </summary>
internal sealed class EventDocument
{
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("event")]
    public required string Event { get; init; }

    [JsonPropertyName("stage")]
    public required string Stage { get; init; }

    /// <summary>The stable integer of the error code, or null when the event is not a failure.</summary>
    [JsonPropertyName("error_code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required int? ErrorCode { get; init; }

    /// <summary>The error code's snake_case name, or null.</summary>
    [JsonPropertyName("error_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? ErrorName { get; init; }

    /// <summary><c>hard_reset</c>, <c>debug_shell</c>, <c>hash_allowlist</c> or <c>none</c>.</summary>
    [JsonPropertyName("fallback_mode")]
    public required string FallbackMode { get; init; }

    [JsonPropertyName("version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Version { get; init; }

    [JsonPropertyName("detail")]
    public required string Detail { get; init; }

    [JsonPropertyName("prev")]
    public required string Previous { get; init; }
}
