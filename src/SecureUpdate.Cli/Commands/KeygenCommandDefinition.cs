using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update keygen --out DIR [--name NAME] [--encrypt | --pkcs11-module LIB --token-label LABEL [--key-label NAME] [--pin-env VAR]]</c></summary>
internal static class KeygenCommandDefinition
{
    public static readonly Option<string> Out = new("--out") { Description = "Folder for NAME.key and NAME.pub.", Required = true };

    public static readonly Option<string> Name = new("--name") { Description = "Key name.", DefaultValueFactory = _ => "release" };

    public static readonly Option<bool> Encrypt = new("--encrypt")
    {
        Description = "Encrypt NAME.key with a passphrase (Argon2id, XChaCha20-Poly1305): from SECURE_UPDATE_KEY_PASSPHRASE, else asked twice on the terminal.",
    };

    public static Command Create()
    {
        var command = new Command("keygen", "Create an Ed25519 signing key: NAME.key (owner-only, never overwritten) and NAME.pub. With --pkcs11-module the key is made inside an HSM and NAME.key is a reference to it.") { Out, Name, Encrypt };
        Pkcs11KeygenOptions.AddTo(command);
        command.Validators.Add(result =>
        {
            // A key made inside a token never leaves it, so there is nothing to encrypt.
            if (result.GetResult(Encrypt) is { Implicit: false } && result.GetResult(Pkcs11KeygenOptions.Module) is not null)
            {
                result.AddError("--encrypt and --pkcs11-module do not combine: a key in an HSM never leaves it.");
            }
        });
        command.SetAction(KeygenCommand.Run);
        return command;
    }
}
