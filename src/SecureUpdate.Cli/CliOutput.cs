using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SecureUpdate.Errors;

namespace SecureUpdate.Cli;

/// <summary>Writes results: human lines on stdout, one JSON object with --json, one clear error line on stderr.</summary>
internal sealed class CliOutput
{
    // Plain quotes and apostrophes in messages: output goes to terminals and scripts, never into HTML.
    /// <summary>The one set of JSON options for command output: plain quotes, nulls left out, times in UTC ending in <c>Z</c>.</summary>
    internal static readonly CliJsonContext JsonContext = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull, Converters = { new UtcTimeConverter() } });

    private readonly TextWriter _out;
    private readonly TextWriter _error;

    public CliOutput(TextWriter output, TextWriter error, bool json, bool verbose)
    {
        _out = output;
        _error = error;
        Json = json;
        Verbose = verbose;
    }

    public bool Json { get; }

    /// <summary>Standard output, for a command that streams its result (<c>events</c>).</summary>
    public TextWriter Out => _out;

    public bool Verbose { get; }

    /// <summary>Prints a success: the lines for people, or the object for scripts.</summary>
    public int Success(CommandOutput output, params string[] lines)
    {
        if (Json)
        {
            _out.WriteLine(JsonSerializer.Serialize(output, JsonContext.CommandOutput));
        }
        else
        {
            foreach (var line in lines)
            {
                _out.WriteLine(line);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Prints a failure once, on stderr (and as JSON on stdout with --json); returns its exit code.</summary>
    public int Failure(string command, Exception exception)
    {
        if (exception is OptionsValidationException invalid)
        {
            // Options a host bound outside the library's ranges and validated on start: the same exit code as a bad flag.
            exception = Error.Usage(invalid.Message);
        }

        var (code, stage, message) = exception switch
        {
            SecureUpdateException e => (ErrorCodeNames.ToName(e.Code), e.Stage.ToString().ToLowerInvariant(), e.Message + FlagHints.For(e)),
            OperationCanceledException => ("internal", "config", "Cancelled."),
            PlatformNotSupportedException or TypeInitializationException { InnerException: PlatformNotSupportedException } =>
                ("internal", "config", "The native crypto library (libsodium) could not be loaded: the published executable carries it and, without /proc, needs a writable TMPDIR or /tmp; a JIT build needs libsodium.so beside secure-update.dll."),
            _ => ("internal", "config", $"Internal error: {exception.Message}"),
        };
        _error.WriteLine(command.Length == 0 ? $"secure-update: {message}" : $"secure-update {command}: {message}");
        if (Verbose)
        {
            _error.WriteLine(exception.ToString());
        }

        if (Json)
        {
            _out.WriteLine(JsonSerializer.Serialize(
                new CommandOutput { Command = command, Outcome = "failed", Stage = stage, ErrorCode = code, Message = message },
                JsonContext.CommandOutput));
        }

        return ExitCodes.For(exception);
    }

    /// <summary>Prints a usage error (exit 2).</summary>
    public int UsageError(string command, string message) =>
        Failure(command, Error.Usage(message));
}
