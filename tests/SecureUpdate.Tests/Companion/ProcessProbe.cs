using System.Diagnostics;
using System.Globalization;

namespace SecureUpdate.Tests.Companion;

/// <summary>Looks at processes the companion started (or should have killed) through <c>/proc</c>, and ends them by id.</summary>
internal static class ProcessProbe
{
    /// <summary>True while <paramref name="pid"/> exists and has not exited (a zombie has exited).</summary>
    public static bool IsRunning(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }

        var close = text.LastIndexOf(')');
        return close > 0 && close + 2 < text.Length && text[close + 2] is not 'Z' and not 'X';
    }

    /// <summary>The session id of <paramref name="pid"/> (field 6 of <c>/proc/PID/stat</c>).</summary>
    public static int SessionId(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[3], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until <paramref name="pid"/> is gone; false when it still runs after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (stopwatch.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Waits until <paramref name="path"/> holds at least <paramref name="lines"/> complete lines; returns them, or what is there after <paramref name="timeout"/>.</summary>
    public static async Task<IReadOnlyList<string>> WaitForLinesAsync(string path, int lines, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            var complete = text.Split('\n').SkipLast(1).Where(line => line.Length > 0).ToArray();
            if (complete.Length >= lines || stopwatch.Elapsed > timeout)
            {
                return complete;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Reads a pid that a shell command wrote (one line), waiting for it to appear; null after <paramref name="timeout"/>.</summary>
    public static async Task<int?> ReadPidFileAsync(string path, TimeSpan timeout)
    {
        var lines = await WaitForLinesAsync(path, 1, timeout);
        return lines.Count > 0 && int.TryParse(lines[0].Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>Sends SIGKILL to <paramref name="pid"/> if it still runs (a process the test started, by its id).</summary>
    public static void Kill(int pid)
    {
        if (!IsRunning(pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone in the meantime.
        }
    }
}
