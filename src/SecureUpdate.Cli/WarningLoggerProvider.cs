using Microsoft.Extensions.Logging;

namespace SecureUpdate.Cli;

/// <summary>
/// Prints the library's warnings about local files kept unsafely (a private key others can read, a key
/// folder others can write; event ids 5xx) as one line each on stderr, so stdout stays the command's
/// result (one JSON object with --json). Every other log message is the host's business, not the CLI's.
/// </summary>
internal sealed class WarningLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _error;

    public WarningLoggerProvider(TextWriter error) => _error = error;

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("SecureUpdate.", StringComparison.Ordinal) ? new WarningLogger(_error) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }
}
