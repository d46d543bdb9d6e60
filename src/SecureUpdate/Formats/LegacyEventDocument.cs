using System.Text.Json.Serialization;

namespace SecureUpdate.Formats;

/// <summary>
/// A line of <c>events.log</c> as written before error codes were integers: <c>error_code</c> the
/// snake_case name (left out when there was none), <c>fallback_mode</c> the <c>--fallback</c> value.
/// Still read, so that logs written then list and verify unchanged; never written.
/// </summary>
internal sealed class LegacyEventDocument
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
