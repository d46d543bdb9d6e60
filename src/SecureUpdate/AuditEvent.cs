using System.Text.Json.Serialization;

namespace SecureUpdate;

/// <summary>One line of a target's audit log (<c>.secure-update/events.log</c>); serialises with the log's own field names.</summary>
public sealed class AuditEvent
{
    internal AuditEvent(DateTimeOffset time, string name, string stage, string? errorCode, string fallbackMode, string? version, string detail)
    {
        Time = time;
        Name = name;
        Stage = stage;
        ErrorCode = errorCode;
        FallbackMode = fallbackMode;
        Version = version;
        Detail = detail;
    }

    /// <summary>When it happened.</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset Time { get; }

    /// <summary>What happened: <c>installed</c>, <c>refused</c>, <c>rolled-back</c>, <c>reverted</c>, …</summary>
    [JsonPropertyName("event")]
    public string Name { get; }

    /// <summary>The stage, as in <see cref="Errors.UpdateStage"/>.</summary>
    [JsonPropertyName("stage")]
    public string Stage { get; }

    /// <summary>The error code of a failure, or null.</summary>
    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; }

    /// <summary><c>hard-reset</c>, <c>debug-shell</c>, <c>hash-allowlist</c> or <c>none</c>.</summary>
    [JsonPropertyName("fallback_mode")]
    public string FallbackMode { get; }

    /// <summary>The version concerned, if any.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; }

    /// <summary>A sentence for people.</summary>
    [JsonPropertyName("detail")]
    public string Detail { get; }
}
