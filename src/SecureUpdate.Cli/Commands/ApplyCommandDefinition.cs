using System.CommandLine;
using SecureUpdate.Configuration;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update apply --feed URL|DIR [--feed URL|DIR ...] --trust FILE --target DIR|--target-file PATH [--app ID] [--channel NAME] [--timeout DURATION] [--allow-http] [--fallback MODE] [--allowlist FILE] [--no-progress] [--no-hard-links]</c></summary>
internal static class ApplyCommandDefinition
{
    public static readonly Option<string[]> Feed = new("--feed")
    {
        Description = "Feed: an http(s):// URL or a folder. Repeat it for mirrors, in order of preference: each file comes from the first that delivers it, the next on a transport failure or not found.",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<string> Trust = CommonOptions.Trust();

    public static readonly Option<string?> Target = TargetOptions.Target();

    public static readonly Option<string?> TargetFile = TargetOptions.TargetFile("Single-file mode: the one executable to install or update in place (state beside it in .NAME.secure-update/).");

    public static readonly Option<string?> App = new("--app") { Description = "App id; required for the first install, then remembered." };

    public static readonly Option<string?> Channel = new("--channel") { Description = "Channel; defaults to the target's, or stable." };

    public static readonly Option<Duration> Timeout = DurationOption.Create("--timeout", "Overall deadline: 30s, 10m, 12h, 30d.", defaultValue: "30m", max: DurationOption.TimerMax);

    public static readonly Option<bool> AllowHttp = new("--allow-http") { Description = "Allow plain http:// to hosts other than loopback." };

    public static readonly Option<bool> ReplaceTrust = new("--replace-trust") { Description = "Re-provision on purpose: pin --trust as the target's trust root even when it is not the pinned root or an earlier root of its chain (recorded as an event)." };

    public static readonly Option<bool> StageOnly = new("--stage-only") { Description = "Download and verify into versions/ without switching current (a later swap switches)." };

    public static readonly Option<string?> HealthCheck = CommonOptions.HealthCheck();

    public static readonly Option<Duration> HealthTimeout = CommonOptions.HealthTimeout();

    public static readonly Option<FallbackMode> Fallback = FallbackOptions.Fallback();

    public static readonly Option<string?> Allowlist = FallbackOptions.Allowlist();

    public static readonly Option<bool> NoProgress = new("--no-progress") { Description = "Draw no progress bar (it is drawn on stderr only when stderr is a terminal and TERM is not dumb)." };

    public static readonly Option<bool> NoHardLinks = new("--no-hard-links") { Description = "Copy files unchanged since an installed version instead of hard-linking them where the file system cannot clone them: slower, but no two versions share a file." };

    public static Command Create()
    {
        var command = new Command("apply", "Install or update a target from a feed, verifying everything first.") { Feed, Trust, Target, TargetFile, App, Channel, Timeout, AllowHttp, ReplaceTrust, StageOnly, HealthCheck, HealthTimeout, Fallback, Allowlist };
        command.Options.Add(NoProgress);
        command.Options.Add(NoHardLinks);
        TargetOptions.AddExactlyOneValidator(command, Target, TargetFile);
        FallbackOptions.AddCombinationValidator(command, Fallback, Allowlist);
        command.Validators.Add(result =>
        {
            if (result.GetResult(TargetFile) is not null && (result.GetValue(StageOnly) || result.GetResult(HealthCheck) is not null))
            {
                result.AddError("--stage-only and --health-check apply to --target folders, not to --target-file.");
            }
        });
        command.SetAction(ApplyCommand.RunAsync);
        return command;
    }
}
