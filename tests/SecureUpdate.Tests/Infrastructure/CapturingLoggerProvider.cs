using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// An <see cref="ILoggerProvider"/> (and its one logger) that keeps every message with its
/// structured values, and the time it was logged on a given clock (zero when none is given).
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
{
    private readonly Func<TimeSpan> _clock;
    private readonly Lock _lock = new();
    private readonly List<CapturedLogEntry> _entries = [];

    public CapturingLoggerProvider(Func<TimeSpan>? clock = null) => _clock = clock ?? (() => TimeSpan.Zero);

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyList<CapturedLogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var at = _clock();
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var pair in pairs)
            {
                values[pair.Key] = pair.Value;
            }
        }

        var entry = new CapturedLogEntry(at, logLevel, eventId, formatter(state, exception), values);
        lock (_lock)
        {
            _entries.Add(entry);
        }
    }

    public void Dispose()
    {
    }
}
