using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update sign-binary --key KEY [--key KEY ...] FILE</c></summary>
internal static class SignBinaryCommandDefinition
{
    public static readonly Option<string[]> Key = new("--key") { Description = "A key to sign with (a key file, an encrypted key file, or a reference to a key in an HSM); repeat for several.", Required = true };

    public static readonly Argument<string> File = new("FILE") { Description = "The file (an executable) to sign; a signature trailer is appended, or the one it carries replaced." };

    public static Command Create()
    {
        var command = new Command("sign-binary", "Embed signatures in a file: append a signed trailer covering every byte before it; the file stays runnable.") { Key, File };
        command.SetAction(SignBinaryCommand.Run);
        return command;
    }
}
