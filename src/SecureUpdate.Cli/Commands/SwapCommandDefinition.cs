using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update swap --target DIR [--wait-pid PID] [--restart CMD] [--health-check CMD] [--health-timeout DURATION]</c></summary>
internal static class SwapCommandDefinition
{
    public static readonly Option<string> Target = CommonOptions.Target();

    public static readonly Option<string?> Trust = new("--trust") { Description = "A .pub or trust file; defaults to the trust root the target was installed with." };

    public static readonly Option<int?> WaitPid = new("--wait-pid") { Description = "Wait (bounded) for this process to exit before switching." };

    public static readonly Option<string> WaitTimeout = new("--wait-timeout") { Description = "Longest wait for --wait-pid: 30s, 10m.", DefaultValueFactory = _ => "60s" };

    public static readonly Option<string?> Restart = new("--restart") { Description = "Shell command started detached in the new version's folder after the switch (and in the previous one after a switch back)." };

    public static readonly Option<string?> HealthCheck = CommonOptions.HealthCheck();

    public static readonly Option<string> HealthTimeout = CommonOptions.HealthTimeout();

    public static readonly Option<string?> ConfirmWithin = new("--confirm-within") { Description = "Health by confirmation: the new version must confirm itself healthy through the library within this time, or it is reverted." };

    public static Command Create()
    {
        var command = new Command("swap", "The companion: wait for the app to exit, re-verify the newest staged version, switch, restart, health-check; switch back on failure.")
        {
            Target, Trust, WaitPid, WaitTimeout, Restart, HealthCheck, HealthTimeout, ConfirmWithin,
        };
        command.SetAction(SwapCommand.RunAsync);
        return command;
    }
}
