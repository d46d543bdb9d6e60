namespace SecureUpdate.Errors;

/// <content>Private keys: encrypted key files and their passphrases.</content>
internal static partial class Error
{
    /// <summary>An encrypted key file and no passphrase to unlock it.</summary>
    public static ConfigurationException PassphraseUnavailable(string path) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The private key file '{Printable.Of(path)}' is encrypted and no passphrase is available to unlock it.")
        {
            Path = path,
            Setting = "KeyPassphrase",
        };

    /// <summary>An encrypted key file that does not open: a wrong passphrase, or a file that was changed.</summary>
    public static ConfigurationException KeyNotUnlocked(string path) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The private key file '{Printable.Of(path)}' cannot be unlocked: the passphrase is wrong or the file was changed.") { Path = path };

    /// <summary>A new encrypted key without a passphrase.</summary>
    public static ConfigurationException PassphraseEmpty() =>
        Usage("The passphrase of an encrypted key must not be empty.", "Passphrase");
}
