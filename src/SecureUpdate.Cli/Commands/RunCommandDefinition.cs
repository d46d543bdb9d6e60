using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update run --trust TRUST FILE [-- ARGS…]</c></summary>
internal static class RunCommandDefinition
{
    public static readonly Option<string> Trust = new("--trust") { Description = "A .pub file, a trust file, or a trust root document: its release keys and threshold decide.", Required = true };

    public static readonly Argument<string> File = new("FILE") { Description = "An ELF program signed with sign-binary." };

    public static readonly Argument<string[]> Arguments = new("ARGS") { Description = "The program's arguments (after --).", Arity = ArgumentArity.ZeroOrMore };

    public static Command Create()
    {
        var command = new Command("run", "Verify a signed program and start exactly the bytes verified: the program's exit code, or 3 (nothing runs) when the signatures do not verify.") { Trust, File, Arguments };
        command.SetAction(RunCommand.Run);
        return command;
    }
}
