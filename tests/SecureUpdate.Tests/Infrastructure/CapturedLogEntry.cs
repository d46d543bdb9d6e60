using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>One message logged through <see cref="CapturingLoggerProvider"/>: when, how severe, which event, the text and its values.</summary>
internal sealed record CapturedLogEntry(TimeSpan At, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>A structured value as text (null when absent or null).</summary>
    public string? Value(string name) => Values.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>An audit event's name, logged under the template's {EventName}.</summary>
    public string? EventName => Value("EventName");
}
