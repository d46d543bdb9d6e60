using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update rollback --target DIR|--target-file PATH [--trust FILE]</c></summary>
internal static class RollbackCommandDefinition
{
    public static readonly Option<string?> Target = CommonOptions.OptionalTarget();

    public static readonly Option<string?> TargetFile = CommonOptions.TargetFile();

    public static readonly Option<string?> Trust = new("--trust") { Description = "A .pub or trust file; defaults to the trust root the target was installed with." };

    public static Command Create()
    {
        var command = new Command("rollback", "Switch to the previous installed version that verifies; the version left is not installed again automatically.") { Target, TargetFile, Trust };
        command.SetAction(RollbackCommand.RunAsync);
        return command;
    }
}
