using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update rollout --feed DIR --app ID --percent N --key FILE.key [...] [--channel NAME] [--expires DURATION]</c></summary>
internal static class RolloutCommandDefinition
{
    public static readonly Option<string> Feed = new("--feed") { Description = "Feed folder.", Required = true };

    public static readonly Option<string> App = new("--app") { Description = "App id.", Required = true };

    public static readonly Option<int> Percent = new("--percent") { Description = "Percentage of hosts (0-100) whose agents take the channel's version.", Required = true };

    public static readonly Option<string[]> Key = new("--key") { Description = "Private key file to sign with; repeat for several.", Required = true };

    public static readonly Option<string> Channel = new("--channel") { Description = "Channel.", DefaultValueFactory = _ => "stable" };

    public static readonly Option<Duration> Expires = CommonOptions.Expires("Validity of the re-signed channel pointer: 30s, 10m, 12h, 30d.");

    public static Command Create()
    {
        var command = new Command("rollout", "Re-sign the channel pointer with a new staged-rollout percentage (same version).") { Feed, App, Percent, Key, Channel, Expires };
        command.SetAction(RolloutCommand.RunAsync);
        return command;
    }
}
