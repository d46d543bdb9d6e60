using System.Diagnostics;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// The published samples (<c>samples/build.sh OUT</c>): the folder named by <c>SECURE_UPDATE_SAMPLES</c>, else
/// one build into a temporary folder, made once per test run whichever test asks first. A failed build fails
/// every test that needs it (with the build's output); it never skips them.
/// </summary>
internal static class SampleBuilds
{
    public const string Variable = "SECURE_UPDATE_SAMPLES";

    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static Task<string>? s_build;

    /// <summary>The OUT folder: <c>agent-1.0.0/</c>, <c>agent-1.1.0/</c>, <c>tool-1.0.0/tool</c>, <c>tool-1.1.0/tool</c>.</summary>
    public static async Task<string> FolderAsync()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return Check(Path.GetFullPath(configured), $"{Variable} names '{configured}', which");
        }

        await s_gate.WaitAsync();
        try
        {
            s_build ??= BuildAsync();
        }
        finally
        {
            s_gate.Release();
        }

        return await s_build;
    }

    /// <summary>The agent published as <paramref name="version"/> (a framework-dependent folder).</summary>
    public static async Task<string> AgentAsync(string version) => Path.Combine(await FolderAsync(), $"agent-{version}");

    /// <summary>The single-file tool published as <paramref name="version"/> (its folder holds exactly that one file).</summary>
    public static async Task<string> ToolAsync(string version) => Path.Combine(await FolderAsync(), $"tool-{version}", "tool");

    private static async Task<string> BuildAsync()
    {
        var root = CliRunner.RepositoryRoot();
        var folder = Path.Combine(Path.GetTempPath(), "secure-update-tests", "samples-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TempFolder.DeleteTree(folder);
        var log = Path.Combine(folder, "build.log");
        var output = Path.Combine(folder, "out");

        // Output goes to a file, not a pipe: a build server the build leaves behind would hold a pipe open.
        var startInfo = new ProcessStartInfo("/bin/sh") { WorkingDirectory = root, UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec bash samples/build.sh \"$0\" < /dev/null > \"$1\" 2>&1");
        startInfo.ArgumentList.Add(output);
        startInfo.ArgumentList.Add(log);

        // The test host inherits MSBuild's settings from `dotnet test`; the nested build must choose its own.
        // And it must leave no MSBuild nodes or compiler server running after the test run.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["UseSharedCompilation"] = "false";
        using var process = Process.Start(startInfo)!;
        using var deadline = new CancellationTokenSource(s_buildTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"samples/build.sh did not finish within {s_buildTimeout.TotalMinutes} minutes.\n{Tail(log)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"samples/build.sh failed (exit {process.ExitCode}); set {Variable} to a folder it built to skip the build.\n{Tail(log)}");
        }

        return Check(output, "samples/build.sh wrote to '" + output + "', which");
    }

    private static string Check(string folder, string what)
    {
        string[] expected = ["agent-1.0.0/SelfUpdatingAgent.dll", "agent-1.1.0/SelfUpdatingAgent.dll", "tool-1.0.0/tool", "tool-1.1.0/tool"];
        var missing = expected.Where(file => !File.Exists(Path.Combine(folder, file))).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException($"{what} lacks {string.Join(", ", missing)} (run samples/build.sh OUT).");
        }

        return folder;
    }

    private static string Tail(string log)
    {
        var text = File.Exists(log) ? File.ReadAllText(log) : "(no output)";
        return text.Length <= 8000 ? text : "…" + text[^8000..];
    }
}
