using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update swap --target DIR [--trust FILE] [--wait-pid PID] [--wait-timeout DURATION] [--restart CMD] [--health-check CMD] [--health-timeout DURATION] [--confirm-within DURATION]</c></summary>
internal static class SwapCommandDefinition
{
    public static readonly Option<string> Target = TargetOptions.RequiredTarget();

    public static readonly Option<string?> Trust = CommonOptions.OptionalTrust();

    public static readonly Option<int?> WaitPid = new("--wait-pid") { Description = "Wait (bounded) for this process (an id above zero) to exit before switching." };

    public static readonly Option<Duration> WaitTimeout = DurationOption.Create("--wait-timeout", "Longest wait for --wait-pid: 30s, 10m.", defaultValue: "60s", max: DurationOption.TimerMax);

    public static readonly Option<string?> Restart = new("--restart") { Description = "Shell command started detached in the new version's folder after the switch (and in the previous one after a switch back)." };

    public static readonly Option<string?> HealthCheck = CommonOptions.HealthCheck();

    public static readonly Option<Duration> HealthTimeout = CommonOptions.HealthTimeout();

    public static readonly Option<Duration?> ConfirmWithin = DurationOption.CreateOptional("--confirm-within", "Health by confirmation: the new version must confirm itself healthy through the library within this time, or it is reverted.", max: DurationOption.ClockMax);

    public static Command Create()
    {
        var command = new Command("swap", "The companion: wait for the app to exit, re-verify the newest staged version, switch, restart, health-check; switch back on failure.")
        {
            Target, Trust, WaitPid, WaitTimeout, Restart, HealthCheck, HealthTimeout, ConfirmWithin,
        };
        command.Validators.Add(result =>
        {
            // Zero and negative ids name no single process (kill(2) reads them as process groups): never "nothing to wait for".
            if (result.GetValue(WaitPid) is <= 0 and var pid)
            {
                result.AddError($"--wait-pid must be a process id above zero, not {pid}.");
            }
        });
        command.SetAction(SwapCommand.RunAsync);
        return command;
    }
}
