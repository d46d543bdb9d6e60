using SecureUpdate.Errors;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli;

/// <summary>
/// The command line's own advice on a library failure. Library messages name no flags; a
/// <see cref="ConfigurationException.Setting"/> says which setting was at fault, and this maps it to
/// the flag that sets it here.
/// </summary>
internal static class FlagHints
{
    /// <summary>A sentence to add to the message, or empty.</summary>
    public static string For(SecureUpdateException exception) => exception switch
    {
        // Nothing installed verifies against the keys given: the usual cause is another trust file.
        NotInstalledException { InnerException: VerificationException { Code: ErrorCode.Signature } } =>
            " Check that --trust is the trust file this target was installed with.",
        VerificationException { Code: ErrorCode.TrustMismatch } =>
            " Pass the target's pinned trust root (or an earlier one) with --trust, or re-provision it on purpose with apply --replace-trust.",
        // A key file of the wrong kind (a .pub given to --key), as opposed to no key at all.
        ConfigurationException { Setting: "KeyFiles", Path: not null } => " --key needs a private key: pass NAME.key, not NAME.pub.",
        ConfigurationException { Setting: { } setting } => setting switch
        {
            "App" => " Pass --app ID.",
            "Trust" => " Pass --trust FILE.",
            "AllowlistPath" => " Pass --allowlist FILE.",
            "AllowInsecureHttp" => " Pass --allow-http to allow it.",
            "VerifiedLaunchMode" => " That is what run --in-memory does.",
            "KeyFiles" => " Pass --key FILE.",
            "KeyPassphrase" => $" Set {EnvironmentPassphraseProvider.Variable}, or run it on a terminal to be asked for the passphrase.",
            _ => "",
        },
        _ => "",
    };
}
