using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update keygen --out DIR [--name NAME] [--pkcs11-module LIB --token-label LABEL [--key-label NAME] [--pin-env VAR]]</c></summary>
internal static class KeygenCommandDefinition
{
    public static readonly Option<string> Out = new("--out") { Description = "Folder for NAME.key and NAME.pub.", Required = true };

    public static readonly Option<string> Name = new("--name") { Description = "Key name.", DefaultValueFactory = _ => "release" };

    public static Command Create()
    {
        var command = new Command("keygen", "Create an Ed25519 signing key: NAME.key (owner-only, never overwritten) and NAME.pub. With --pkcs11-module the key is made inside an HSM and NAME.key is a reference to it.") { Out, Name };
        Pkcs11KeygenOptions.AddTo(command);
        command.SetAction(KeygenCommand.Run);
        return command;
    }
}
