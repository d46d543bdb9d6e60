using System.Diagnostics;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Runs the real CLI with a pseudo-terminal as its stdin and stderr, through util-linux
/// <c>script -qec CMD /dev/null</c>, and its stdout sent to a file, so that what a person sees on
/// the terminal and what a script reads from stdout can be checked apart. The terminal's output
/// comes back as written, control characters and all (the terminal turns each <c>\n</c> into <c>\r\n</c>),
/// except the keypad-mode switches .NET's console writes by itself when stdin is a terminal
/// (<c>ESC [?1h ESC =</c> and <c>ESC [?1l ESC &gt;</c>, from terminfo), which are not the CLI's output.
/// </summary>
public static class PseudoTerminal
{
    private static readonly string[] s_runtimeKeypadModes = ["\u001b[?1h\u001b=", "\u001b[?1l\u001b>"];

    /// <summary>Runs the CLI with <c>TERM=xterm</c> unless <paramref name="environment"/> says otherwise (a null value removes a variable).</summary>
    public static async Task<(int ExitCode, string Terminal, string Stdout)> RunCliAsync(
        string stdoutFile, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var (fileName, dll) = CliRunner.Locate();
        var words = new List<string> { fileName };
        if (dll is not null)
        {
            words.Add(dll);
        }

        words.AddRange(arguments);
        var command = string.Join(' ', words.Select(Quote)) + " >" + Quote(stdoutFile);
        var startInfo = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        startInfo.ArgumentList.Add("-qec");
        startInfo.ArgumentList.Add(command);
        startInfo.ArgumentList.Add("/dev/null");
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "COLUMNS", "NO_COLOR" })
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["TERM"] = "xterm";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var terminal = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CliRunner.DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"script did not exit within {CliRunner.DefaultTimeout.TotalSeconds} s: {command}\n{await terminal}{await errors}");
        }

        var stdout = File.Exists(stdoutFile) ? await File.ReadAllTextAsync(stdoutFile) : "";
        var shown = await terminal + await errors;
        foreach (var mode in s_runtimeKeypadModes)
        {
            shown = shown.Replace(mode, "", StringComparison.Ordinal);
        }

        return (process.ExitCode, shown, stdout);
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
