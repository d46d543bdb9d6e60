using System.Text.Json.Serialization;

namespace SecureUpdate.Formats;

/// <summary>One line of <c>events.log</c>: what happened, and the SHA-256 of the line before it.</summary>
internal sealed class EventDocument
{
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("event")]
    public required string Event { get; init; }

    [JsonPropertyName("stage")]
    public required string Stage { get; init; }

    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("fallback_mode")]
    public required string FallbackMode { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("detail")]
    public required string Detail { get; init; }

    [JsonPropertyName("prev")]
    public required string Previous { get; init; }
}
