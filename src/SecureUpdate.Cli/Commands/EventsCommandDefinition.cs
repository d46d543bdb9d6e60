using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update events --target DIR|--target-file PATH [--json] [--verify]</c></summary>
internal static class EventsCommandDefinition
{
    public static readonly Option<string?> Target = TargetOptions.Target();

    public static readonly Option<string?> TargetFile = TargetOptions.TargetFile();

    public static readonly Option<bool> Verify = new("--verify") { Description = "Check the hash chain of the log; exit 3 when a line was edited, reordered or cut." };

    public static Command Create()
    {
        var command = new Command("events", "List a target's audit events; --verify checks that the log is intact.") { Target, TargetFile, Verify };
        TargetOptions.AddExactlyOneValidator(command, Target, TargetFile);
        command.SetAction(EventsCommand.Run);
        return command;
    }
}
