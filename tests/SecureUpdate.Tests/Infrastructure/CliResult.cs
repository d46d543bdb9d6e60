using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>What one finished run of the CLI left behind: exit code, both streams, duration.</summary>
public sealed partial class CliResult
{
    public CliResult(IReadOnlyList<string> arguments, int exitCode, string stdout, string stderr, TimeSpan elapsed)
    {
        Arguments = arguments;
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
        Elapsed = elapsed;
    }

    public IReadOnlyList<string> Arguments { get; }

    public int ExitCode { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>The non-empty lines written to stderr.</summary>
    public IReadOnlyList<string> StderrLines =>
        Stderr.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Trim().Length > 0).ToArray();

    /// <summary>Parses stdout as exactly one JSON object (the <c>--json</c> contract).</summary>
    public JsonElement Json()
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Stdout);
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"stdout is not exactly one JSON value: {exception.Message}\n{Describe()}", exception);
        }

        using (document)
        {
            document.RootElement.ValueKind.Should().Be(JsonValueKind.Object, "--json prints one object\n{0}", Describe());
            return document.RootElement.Clone();
        }
    }

    /// <summary>A string property of the JSON output, or null when it is absent or not a string.</summary>
    public string? JsonString(string name)
    {
        var root = Json();
        return root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>Asserts the exit code, with both streams in the failure message.</summary>
    public CliResult ShouldExitWith(int exitCode)
    {
        ExitCode.Should().Be(exitCode, "the CLI should exit {0}\n{1}", exitCode, Describe());
        return this;
    }

    /// <summary>Asserts that stderr holds no stack trace and no unhandled-exception banner.</summary>
    public CliResult ShouldHaveNoStackTrace()
    {
        StackTraceLine().IsMatch(Stderr).Should().BeFalse("stderr must never show a stack trace\n{0}", Describe());
        Stderr.Should().NotContain("Unhandled exception", "stderr must never show an unhandled exception\n{0}", Describe());
        Stdout.Should().NotContain("Unhandled exception", "stdout must never show an unhandled exception\n{0}", Describe());
        return this;
    }

    /// <summary>A failure reported the documented way: one clear line on stderr, no stack trace.</summary>
    public CliResult ShouldReportFailureClearly()
    {
        StderrLines.Should().ContainSingle("every failure prints one clear line on stderr\n{0}", Describe());
        return ShouldHaveNoStackTrace();
    }

    /// <summary>Asserts the --json failure shape: outcome "failed", a stage and the given error_code.</summary>
    public CliResult ShouldHaveErrorCode(string errorCode)
    {
        var json = Json();
        JsonString("outcome").Should().Be("failed", "a refused apply reports outcome \"failed\"\n{0}", Describe());
        json.TryGetProperty("stage", out _).Should().BeTrue("a failure names its stage\n{0}", Describe());
        JsonString("error_code").Should().Be(errorCode, "the error_code is the point of this test\n{0}", Describe());
        return this;
    }

    /// <summary>A readable account of the run, for assertion messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("$ secure-update ").AppendJoin(' ', Arguments.Select(Quote)).AppendLine();
        text.Append("exit ").Append(ExitCode).Append(" after ").Append(Elapsed.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).AppendLine(" s");
        text.AppendLine("--- stdout ---").AppendLine(Truncate(Stdout));
        text.AppendLine("--- stderr ---").AppendLine(Truncate(Stderr));
        return text.ToString();
    }

    private static string Quote(string argument) => argument.Contains(' ', StringComparison.Ordinal) ? $"\"{argument}\"" : argument;

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + " …";

    [GeneratedRegex(@"^\s+at \S+.*\(", RegexOptions.Multiline)]
    private static partial Regex StackTraceLine();
}
