using SecureUpdate.Install;
using SecureUpdate.Platform;
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

    /// <summary>Runs the CLI to completion (or to its crash point).</summary>
    public static async Task<CliResult> RunAsync(string? crashAt, params string[] arguments)
    {
        using var process = Start(crashAt, arguments);
        return await process.WaitAsync(CliRunner.DefaultTimeout);
    }

    /// <summary>Starts the CLI and returns at once; the caller waits or kills. A null <paramref name="crashAt"/> disarms every crash point.</summary>
    public static CliProcess Start(string? crashAt, params string[] arguments) =>
        CliRunner.Start(new Dictionary<string, string?> { [CrashVariable] = crashAt }, arguments);
}
