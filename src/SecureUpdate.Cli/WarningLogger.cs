using Microsoft.Extensions.Logging;

namespace SecureUpdate.Cli;

/// <summary>One <c>secure-update: warning: …</c> line on stderr per local-file warning (event ids 500–599); see <see cref="WarningLoggerProvider"/>.</summary>
internal sealed class WarningLogger : ILogger
{
    private readonly TextWriter _error;

    public WarningLogger(TextWriter error) => _error = error;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel) && eventId.Id is >= 500 and < 600)
        {
            _error.WriteLine($"secure-update: warning: {formatter(state, exception)}");
        }
    }
}
