using System.Runtime.InteropServices;

namespace SecureUpdate.Platform;

/// <summary>
/// Crash points for the crash test suite. Armed only by the environment variable
/// <c>SECURE_UPDATE_TEST_CRASH_AT</c> (a point name, or <c>NAME#N</c> for its N-th hit); when
/// the armed point is reached the process kills itself with SIGKILL, exactly as a power cut
/// or an OOM kill would stop it. Unarmed, a point is one cached string comparison.
/// </summary>
internal static partial class FaultInjection
{
    /// <summary>The environment variable that arms a crash point. For tests only.</summary>
    public const string Variable = "SECURE_UPDATE_TEST_CRASH_AT";

    private static readonly string? s_armed = Environment.GetEnvironmentVariable(Variable);
    private static readonly string? s_name = s_armed?.Split('#')[0];
    private static readonly int s_hit = s_armed is not null && s_armed.Contains('#', StringComparison.Ordinal) && int.TryParse(s_armed.Split('#')[1], out var n) ? n : 1;
    private static int s_count;

    /// <summary>Every crash point, in the order an install passes them.</summary>
    public static IReadOnlyList<string> Points { get; } =
    [
        "journal-written",
        "manifest-written",
        "version-moved",
        "switched",
        "state-written",
        "pruned",
        "before-journal-cleared",
    ];

    /// <summary>Kills the process here if this point is armed.</summary>
    public static void Point(string name)
    {
        if (s_name is null || !string.Equals(s_name, name, StringComparison.Ordinal) || Interlocked.Increment(ref s_count) != s_hit)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            _ = Kill(Environment.ProcessId, 9);
        }

        Environment.FailFast($"crash point {name}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
