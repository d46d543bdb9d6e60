using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update run --trust TRUST [--in-memory] FILE [-- ARGS…]</c></summary>
internal static class RunCommandDefinition
{
    public static readonly Option<string> Trust = new("--trust") { Description = "A .pub file, a trust file, or a trust root document: its release keys and threshold decide.", Required = true };

    public static readonly Option<bool> InMemory = new("--in-memory") { Description = "Run a sealed in-memory copy of exactly the verified bytes, for a program others can write (it then sees /memfd:... as its own path)." };

    public static readonly Argument<string> File = new("FILE") { Description = "An ELF program: signed with sign-binary, or inside an installed target (checked against its signed manifest)." };

    public static readonly Argument<string[]> Arguments = new("ARGS") { Description = "The program's arguments (after --).", Arity = ArgumentArity.ZeroOrMore };

    public static Command Create()
    {
        var command = new Command("run", "Verify a program (its embedded signatures, or its target's signed manifest when it is inside an installed target) and start exactly the bytes verified: the program's exit code, or 3 (nothing runs) when it does not verify.") { Trust, InMemory, File, Arguments };
        command.SetAction(RunCommand.Run);
        return command;
    }
}
