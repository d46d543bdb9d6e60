using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update keygen --out DIR [--name NAME] [--encrypt]</c></summary>
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
        var command = new Command("keygen", "Create an Ed25519 signing key: NAME.key (owner-only, never overwritten) and NAME.pub.") { Out, Name, Encrypt };
        command.SetAction(KeygenCommand.Run);
        return command;
    }
}
