using System.Diagnostics;

namespace SecureUpdate.Platform;

/// <summary>Waits, bounded, for a process that is not our child to exit.</summary>
internal static class ProcessWaiter
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    /// <summary>True when <paramref name="pid"/> is gone (or a zombie) within <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetTimestamp();
        while (IsRunning(pid))
        {
            if (timeProvider.GetElapsedTime(start) >= timeout)
            {
                return false;
            }

            await Task.Delay(s_poll, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // A zombie has exited; only its parent has not reaped it yet.
            var stat = $"/proc/{pid}/stat";
            try
            {
                var text = File.ReadAllText(stat);
                var close = text.LastIndexOf(')');
                return close > 0 && close + 2 < text.Length && text[close + 2] != 'Z' && text[close + 2] != 'X';
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
