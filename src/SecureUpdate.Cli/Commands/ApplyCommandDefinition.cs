using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update apply --feed URL|DIR --trust FILE --target DIR|--target-file PATH [--app ID] [--channel NAME] [--timeout DURATION] [--allow-http] [--fallback MODE] [--allowlist FILE]</c></summary>
internal static class ApplyCommandDefinition
{
    public static readonly Option<string> Feed = new("--feed") { Description = "Feed: an http(s):// URL or a folder.", Required = true };

    public static readonly Option<string> Trust = CommonOptions.Trust();

    public static readonly Option<string?> Target = CommonOptions.OptionalTarget();

    public static readonly Option<string?> TargetFile = CommonOptions.TargetFile();

    public static readonly Option<string?> App = new("--app") { Description = "App id; required for the first install, then remembered." };

    public static readonly Option<string?> Channel = new("--channel") { Description = "Channel; defaults to the target's, or stable." };

    public static readonly Option<string> Timeout = new("--timeout") { Description = "Overall deadline: 30s, 10m, 12h, 30d.", DefaultValueFactory = _ => "30m" };

    public static readonly Option<bool> AllowHttp = new("--allow-http") { Description = "Allow plain http:// to hosts other than loopback." };

    public static readonly Option<bool> StageOnly = new("--stage-only") { Description = "Download and verify into versions/ without switching current (a later swap switches)." };

    public static readonly Option<string?> HealthCheck = CommonOptions.HealthCheck();

    public static readonly Option<string> HealthTimeout = CommonOptions.HealthTimeout();

    public static readonly Option<string> Fallback = CommonOptions.Fallback();

    public static readonly Option<string?> Allowlist = CommonOptions.Allowlist();

    public static Command Create()
    {
        var command = new Command("apply", "Install or update a target from a feed, verifying everything first.") { Feed, Trust, Target, TargetFile, App, Channel, Timeout, AllowHttp, StageOnly, HealthCheck, HealthTimeout, Fallback, Allowlist };
        command.SetAction(ApplyCommand.RunAsync);
        return command;
    }
}
