using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update rollback --target DIR|--target-file PATH [--trust FILE]</c></summary>
internal static class RollbackCommandDefinition
{
    public static readonly Option<string?> Target = TargetOptions.Target();

    public static readonly Option<string?> TargetFile = TargetOptions.TargetFile("Single-file mode: the executable to switch back to its previous version that verifies.");

    public static readonly Option<string?> Trust = CommonOptions.OptionalTrust();

    public static Command Create()
    {
        var command = new Command("rollback", "Switch to the previous installed version that verifies; the version left is not installed again automatically.") { Target, TargetFile, Trust };
        TargetOptions.AddExactlyOneValidator(command, Target, TargetFile);
        command.SetAction(RollbackCommand.RunAsync);
        return command;
    }
}
