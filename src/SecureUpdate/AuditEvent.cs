using System.Text.Json.Serialization;

namespace SecureUpdate;

/// <summary>
/// One line of a target's audit log (<c>.secure-update/events.log</c>); serialises with the log's own
/// field names, <c>error_code</c>, <c>error_name</c> and <c>version</c> as null rather than left out.
/// </summary>
public sealed class AuditEvent
{
    internal AuditEvent(DateTimeOffset time, string name, string stage, int? errorCode, string? errorName, string fallbackMode, string? version, string detail)
    {
        Time = time;
        Name = name;
        Stage = stage;
        ErrorCode = errorCode;
        ErrorName = errorName;
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

    /// <summary>The error code of a failure as its stable integer (<see cref="Errors.ErrorCode"/>), or null when the event is not a failure.</summary>
    [JsonPropertyName("error_code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? ErrorCode { get; }

    /// <summary>The error code's snake_case name (<see cref="Errors.ErrorCodeNames"/>), or null.</summary>
    [JsonPropertyName("error_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ErrorName { get; }

    /// <summary><c>hard_reset</c>, <c>debug_shell</c>, <c>hash_allowlist</c> or <c>none</c>.</summary>
    [JsonPropertyName("fallback_mode")]
    public string FallbackMode { get; }

    /// <summary>The version concerned, if any.</summary>
    [JsonPropertyName("version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Version { get; }

    /// <summary>A sentence for people.</summary>
    [JsonPropertyName("detail")]
    public string Detail { get; }
}
