using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update rollback --target DIR [--trust FILE]</c></summary>
internal static class RollbackCommandDefinition
{
    public static readonly Option<string> Target = CommonOptions.Target();

    public static readonly Option<string?> Trust = new("--trust") { Description = "A .pub or trust file; defaults to the trust root the target was installed with." };

    public static Command Create()
    {
        var command = new Command("rollback", "Switch to the previous installed version that verifies; the version left is not installed again automatically.") { Target, Trust };
        command.SetAction(RollbackCommand.RunAsync);
        return command;
    }
}
