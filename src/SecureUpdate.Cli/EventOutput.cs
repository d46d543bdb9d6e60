using System.Text.Json.Serialization;

namespace SecureUpdate.Cli;

/// <summary>One audit event in <c>events --json</c> output, named as in <c>events.log</c>.</summary>
internal sealed class EventOutput
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
}
