using System.ComponentModel;
using System.Diagnostics;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>Starts any program (a script, a copied CLI, the CLI with extra environment) the way <see cref="CliRunner"/> starts the CLI.</summary>
internal static class ProgramRunner
{
    /// <summary>errno ETXTBSY: another thread of this test process forked while a file it wrote was still open.</summary>
    private const int TextFileBusy = 26;

    /// <summary>Starts <paramref name="commandLine"/> (program first) with output captured; the caller waits or kills.</summary>
    public static CliProcess Start(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, string>? environment = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var process = new Process { StartInfo = StartInfo(commandLine, environment) };
            try
            {
                process.Start();
            }
            catch (Win32Exception ex) when (ex.NativeErrorCode == TextFileBusy && attempt < 20)
            {
                // Parallel tests fork while files are open for writing; the child that holds one execs soon.
                process.Dispose();
                Thread.Sleep(50);
                continue;
            }

            process.StandardInput.Close();
            return new CliProcess(process, commandLine.Skip(1).ToArray());
        }
    }

    /// <summary>Runs <paramref name="commandLine"/> to completion.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(commandLine, environment);
        return await process.WaitAsync(CliRunner.DefaultTimeout);
    }

    /// <summary>Runs the CLI under test with extra environment variables.</summary>
    public static Task<CliResult> RunCliAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunAsync([.. CliUnderTest.CommandLine, .. arguments], environment);

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in commandLine.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "SECURE_UPDATE_TEST_CRASH_AT" })
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }
}
