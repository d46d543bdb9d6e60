using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.Fallback;

/// <summary>One message logged through <see cref="CapturingLoggerProvider"/>, with its structured values.</summary>
internal sealed record CapturedLogEntry(LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>A structured value as text (null when absent or null).</summary>
    public string? Value(string name) => Values.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>
    /// The audit event's name: the {Event} value, or the "@event" key that the logging source
    /// generator currently emits for it (see AuditLoggingTests.AuditLogEntry_CarriesTheEventNameUnderTheTemplatesKey).
    /// </summary>
    public string? EventName => Value("EventName");
}
