using System.Globalization;
using SecureUpdate.Platform;

namespace SecureUpdate.Agent;

/// <summary>
/// The shell command that starts the companion for a staged update. It is the one place the
/// library speaks the command line of <c>secure-update swap</c> (README, "Command reference"),
/// because the swap must run in a separate process that outlives the agent.
/// </summary>
internal static class CompanionCommand
{
    /// <summary>
    /// <c>COMPANION swap --target TARGET --wait-pid PID --restart RESTART --confirm-within Ns</c>, every
    /// value quoted for <c>sh</c>, its output appended to <paramref name="logFile"/> when one is given.
    /// </summary>
    public static string For(string companion, string target, int pid, string restart, TimeSpan confirmWithin, string? logFile)
    {
        var seconds = (int)Math.Ceiling(confirmWithin.TotalSeconds);
        return string.Join(
            ' ',
            ShellCommand.Quote(companion),
            "swap --target",
            ShellCommand.Quote(target),
            "--wait-pid",
            pid.ToString(CultureInfo.InvariantCulture),
            "--restart",
            ShellCommand.Quote(restart),
            "--confirm-within",
            seconds.ToString(CultureInfo.InvariantCulture) + "s",
            logFile is null ? "" : $">> {ShellCommand.Quote(logFile)} 2>&1");
    }
}
