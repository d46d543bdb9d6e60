using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update verify-binary --trust TRUST FILE</c></summary>
internal static class VerifyBinaryCommandDefinition
{
    public static readonly Option<string> Trust = new("--trust") { Description = "A .pub file, a trust file, or a trust root document: its release keys and threshold decide.", Required = true };

    public static readonly Argument<string> File = new("FILE") { Description = "A file signed with sign-binary." };

    public static Command Create()
    {
        var command = new Command("verify-binary", "Check the signatures embedded in a file: exit 0 when the trust root's threshold is met, 3 otherwise.") { Trust, File };
        command.SetAction(VerifyBinaryCommand.Run);
        return command;
    }
}
