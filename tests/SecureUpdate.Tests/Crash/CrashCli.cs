using System.Diagnostics;
using SecureUpdate.Install;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// Runs the real <c>secure-update</c> (the same executable <see cref="CliRunner"/> locates: the NativeAOT file named by
/// <c>SECURE_UPDATE_CLI</c>, else the JIT build) with a crash point armed through <c>SECURE_UPDATE_TEST_CRASH_AT</c>.
/// The variable is set on the child only, never on the test process, so tests running beside these are not affected.
/// </summary>
public static class CrashCli
{
    /// <summary>The variable that arms a crash point.</summary>
    public const string CrashVariable = FaultInjection.Variable;

    /// <summary>How a process killed by SIGKILL exits, as .NET reports it on Unix (128 + 9).</summary>
    public const int KilledExitCode = 137;

    private static readonly Lazy<(string FileName, string? Dll)> s_cli = new(CliRunner.Locate);

    /// <summary>Runs the CLI to completion (or to its crash point).</summary>
    public static async Task<CliResult> RunAsync(string? crashAt, params string[] arguments)
    {
        using var process = Start(crashAt, arguments);
        return await process.WaitAsync(CliRunner.DefaultTimeout);
    }

    /// <summary>Starts the CLI and returns at once; the caller waits or kills.</summary>
    public static CliProcess Start(string? crashAt, params string[] arguments)
    {
        var (fileName, dll) = s_cli.Value;
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (dll is not null)
        {
            startInfo.ArgumentList.Add(dll);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", CrashVariable })
        {
            startInfo.Environment.Remove(name);
        }

        if (crashAt is not null)
        {
            startInfo.Environment[CrashVariable] = crashAt;
        }

        startInfo.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var process = new Process { StartInfo = startInfo };
        process.Start();
        process.StandardInput.Close();
        var shown = crashAt is null ? arguments : [.. arguments, $"[{CrashVariable}={crashAt}]"];
        return new CliProcess(process, shown);
    }
}
