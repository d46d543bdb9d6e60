using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update status --target DIR|--target-file PATH</c></summary>
internal static class StatusCommandDefinition
{
    public static readonly Option<string?> Target = TargetOptions.Target();

    public static readonly Option<string?> TargetFile = TargetOptions.TargetFile("Single-file mode: the executable whose installed version and state to show.");

    public static Command Create()
    {
        var command = new Command("status", "Show the app, channel, current version and installed versions of a target.") { Target, TargetFile };
        TargetOptions.AddExactlyOneValidator(command, Target, TargetFile);
        command.SetAction(StatusCommand.Run);
        return command;
    }
}
