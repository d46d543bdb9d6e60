using System.Diagnostics;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>Runs the real <c>secure-update</c> CLI as a separate process.</summary>
public static class CliRunner
{
    /// <summary>Generous: every command in these tests takes well under a second or has its own deadline.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    private static readonly Lazy<(string FileName, string? Dll)> s_cli = new(Locate);

    /// <summary>Runs the CLI to completion.</summary>
    public static async Task<CliResult> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        return await process.WaitAsync(DefaultTimeout);
    }

    /// <summary>Runs the CLI to completion with a given timeout.</summary>
    public static async Task<CliResult> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(arguments);
        return await process.WaitAsync(timeout);
    }

    /// <summary>Runs the CLI to completion with extra environment variables (a null value removes the variable).</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        return await process.WaitAsync(DefaultTimeout);
    }

    /// <summary>Starts the CLI and returns at once; the caller waits or kills.</summary>
    public static CliProcess Start(params string[] arguments) => Start(new Dictionary<string, string?>(), arguments);

    /// <summary>
    /// Starts the CLI with extra environment variables (a null value removes the variable) and
    /// returns at once. The variables are set on the child only, never on the test process.
    /// </summary>
    public static CliProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        StartWithInput(environment, null, arguments);

    /// <summary>Runs the CLI with extra environment variables and <paramref name="standardInput"/> on stdin (then closed), and waits for it.</summary>
    public static async Task<CliResult> RunWithInputAsync(IReadOnlyDictionary<string, string?> environment, string standardInput, params string[] arguments)
    {
        using var process = StartWithInput(environment, standardInput, arguments);
        return await process.WaitAsync(DefaultTimeout);
    }

    /// <summary>Like <see cref="Start(IReadOnlyDictionary{string, string?}, string[])"/>, writing <paramref name="standardInput"/> (when not null) to stdin before closing it.</summary>
    public static CliProcess StartWithInput(IReadOnlyDictionary<string, string?> environment, string? standardInput, params string[] arguments)
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

        // Loopback feeds must never go through a proxy the machine happens to configure.
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
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

        var shown = environment.Where(e => e.Value is not null).Select(e => $"[{e.Key}={e.Value}]");
        var process = new Process { StartInfo = startInfo };
        process.Start();
        try
        {
            if (standardInput is not null)
            {
                process.StandardInput.Write(standardInput);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited before reading its input (a usage error does): what it printed is the result.
        }
        return new CliProcess(process, [.. arguments, .. shown]);
    }

    /// <summary>
    /// Where the CLI under test is: <c>SECURE_UPDATE_CLI</c> (an executable, or a <c>.dll</c> run by
    /// <c>dotnet</c>), else the JIT build of this repository. <c>Dll</c> is null for an executable.
    /// </summary>
    public static (string FileName, string? Dll) Locate()
    {
        var configured = Environment.GetEnvironmentVariable("SECURE_UPDATE_CLI");
        if (!string.IsNullOrEmpty(configured))
        {
            if (!File.Exists(configured))
            {
                throw new FileNotFoundException($"SECURE_UPDATE_CLI names a file that does not exist: {configured}");
            }

            return configured.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? (DotnetHost(), Path.GetFullPath(configured))
                : (Path.GetFullPath(configured), null);
        }

        var root = RepositoryRoot();
        var dll = Path.Combine(root, "src", "SecureUpdate.Cli", "bin", BuildConfiguration, "net10.0", "secure-update.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The CLI has not been built: {dll} is missing (build the solution in {BuildConfiguration}, or set SECURE_UPDATE_CLI).");
        }

        return (DotnetHost(), dll);
    }

    /// <summary>The folder holding <c>SecureUpdate.sln</c>, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureUpdate.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No SecureUpdate.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The <c>dotnet</c> host: <c>DOTNET_HOST_PATH</c> (set by <c>dotnet test</c>), this process's host, <c>DOTNET_ROOT</c>'s, or <c>dotnet</c> on PATH.</summary>
    public static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(dotnetRoot) && File.Exists(Path.Combine(dotnetRoot, "dotnet")))
        {
            return Path.Combine(dotnetRoot, "dotnet");
        }

        return "dotnet";
    }
}
