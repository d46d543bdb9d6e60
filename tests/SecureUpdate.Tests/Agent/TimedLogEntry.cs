using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.Agent;

/// <summary>One message logged through <see cref="TimedLogProvider"/>: when, how severe, which event, the text and its values.</summary>
internal sealed record TimedLogEntry(TimeSpan At, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);
