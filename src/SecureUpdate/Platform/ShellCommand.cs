using System.Diagnostics;

namespace SecureUpdate.Platform;

/// <summary>Runs operator-given shell commands (health checks, restarts) in a version's folder.</summary>
internal static class ShellCommand
{
    /// <summary>The environment variable that tells a command which version it runs for.</summary>
    public const string VersionVariable = "SECURE_UPDATE_VERSION";

    /// <summary>
    /// Runs <paramref name="command"/> with <c>/bin/sh -c</c> and waits at most <paramref name="timeout"/>.
    /// Returns null when it exited 0; otherwise why it failed (the whole process tree is killed on timeout).
    /// </summary>
    public static async Task<string?> RunAsync(string command, string workingDirectory, string version, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = CreateStartInfo(command, workingDirectory, version) };
        process.StartInfo.RedirectStandardOutput = true;
        process.StartInfo.RedirectStandardError = true;
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"the command could not be started: {ex.Message}";
        }

        // Drain output so a chatty command cannot block on a full pipe.
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return $"it did not finish within {timeout.TotalSeconds:0} s and was killed";
        }

        // A command may leave a background process holding its pipes open: read what is there
        // for a moment, never past the deadline, and do not wait for the background process.
        var grace = Task.Delay(TimeSpan.FromMilliseconds(500), timeProvider, linked.Token);
        var error = await Task.WhenAny(drain, grace).ConfigureAwait(false) == drain ? (await drain.ConfigureAwait(false))[1] : "";
        if (process.ExitCode == 0)
        {
            return null;
        }

        var last = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return $"it exited with code {process.ExitCode}" + (last is null ? "" : $" ({(last.Length > 200 ? last[..200] : last)})");
    }

    /// <summary>Quotes one word for <c>sh</c>: single quotes, with embedded ones closed, escaped and reopened.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Starts <paramref name="command"/> detached in its own session, so it outlives the companion.
    /// Returns null when it started, otherwise why not.
    /// </summary>
    public static string? StartDetached(string command, string workingDirectory, string version)
    {
        var startInfo = CreateStartInfo(command, workingDirectory, version);
        if (!OperatingSystem.IsWindows())
        {
            // The app gets its own session (setsid -f, immune to our process group's signals) and
            // /dev/null for stdin, stdout and stderr: it must not hold the companion's pipes open,
            // or whoever reads the companion's output would wait for the app to exit. Redirect
            // its output in CMD itself to keep it. The command text is passed as $0, never spliced.
            var detach = File.Exists("/usr/bin/setsid")
                ? "exec /usr/bin/setsid -f /bin/sh -c \"$0\" </dev/null >/dev/null 2>&1"
                : "/bin/sh -c \"$0\" </dev/null >/dev/null 2>&1 &";
            startInfo.ArgumentList.Clear();
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(detach);
            startInfo.ArgumentList.Add(command);
        }

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return "the restart command did not start";
            }

            // Only the short-lived launcher is our child; reap it so no zombie is left.
            process.WaitForExit(TimeSpan.FromSeconds(10));
            return null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return $"the restart command could not be started: {ex.Message}";
        }
    }

    private static ProcessStartInfo CreateStartInfo(string command, string workingDirectory, string version)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh",
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(OperatingSystem.IsWindows() ? "/c" : "-c");
        startInfo.ArgumentList.Add(command);
        startInfo.Environment[VersionVariable] = version;
        startInfo.Environment.Remove("SECURE_UPDATE_TEST_CRASH_AT");
        return startInfo;
    }
}
