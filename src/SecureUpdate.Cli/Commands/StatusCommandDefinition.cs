using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update status --target DIR</c></summary>
internal static class StatusCommandDefinition
{
    public static readonly Option<string> Target = CommonOptions.Target();

    public static Command Create()
    {
        var command = new Command("status", "Show the app, channel, current version and installed versions of a target.") { Target };
        command.SetAction(StatusCommand.Run);
        return command;
    }
}
