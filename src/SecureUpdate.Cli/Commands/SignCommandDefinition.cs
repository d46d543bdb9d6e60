using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update sign --key KEY FILE.json</c></summary>
internal static class SignCommandDefinition
{
    public static readonly Option<string> Key = new("--key") { Description = "The key to sign with: a key file, an encrypted key file, or a reference to a key in an HSM.", Required = true };

    public static readonly Argument<string> Document = new("FILE") { Description = "A trust root document, a manifest or a channel pointer; the signature is added to FILE.sig." };

    public static Command Create()
    {
        var command = new Command("sign", "Add one signature to a document's .sig (creating it), so k signers can each sign on their own machine.") { Key, Document };
        command.SetAction(SignCommand.Run);
        return command;
    }
}
