namespace SecureUpdate.Errors;

/// <content>Keys inside an HSM, reached through a PKCS#11 module: all configuration errors (exit 2).</content>
internal static partial class Error
{
    /// <summary>The environment variable that should hold the token's user PIN is unset or empty.</summary>
    public static ConfigurationException Pkcs11PinUnset(string variable) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The environment variable '{Printable.Of(variable)}' that holds the token's user PIN is not set.") { Setting = "PinVariable" };

    /// <summary>A PIN variable name that is not a portable environment variable name.</summary>
    public static ConfigurationException Pkcs11PinVariableInvalid(string variable) =>
        Usage($"'{Printable.Of(variable)}' is not an environment variable name: use 1-128 of A-Z, a-z, 0-9 and '_', not starting with a digit.", "PinVariable");

    /// <summary>The PKCS#11 module cannot be loaded, or is not one.</summary>
    public static ConfigurationException Pkcs11ModuleUnloadable(string module, string reason, Exception? inner = null) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The PKCS#11 module '{Printable.Of(module)}' cannot be loaded: {Printable.Of(reason)}.", inner) { Path = module, Setting = "Pkcs11Module" };

    /// <summary>No present token has the label.</summary>
    public static ConfigurationException Pkcs11TokenNotFound(string module, string token) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The PKCS#11 module '{Printable.Of(module)}' has no token labelled '{Printable.Of(token)}'.") { Path = module };

    /// <summary>The token refused the PIN: wrong, or locked after too many wrong ones.</summary>
    public static ConfigurationException Pkcs11PinRefused(string token, string variable, bool locked, Exception inner) =>
        new(ErrorCode.Config, UpdateStage.Config, locked
            ? $"The user PIN of token '{Printable.Of(token)}' is locked (CKR_PIN_LOCKED)."
            : $"Token '{Printable.Of(token)}' refused the PIN in the environment variable '{Printable.Of(variable)}' (CKR_PIN_INCORRECT).", inner);

    /// <summary>The token has no private key with the reference's label and id.</summary>
    public static ConfigurationException Pkcs11KeyNotFound(string token, string keyLabel) =>
        new(ErrorCode.Config, UpdateStage.Config, $"Token '{Printable.Of(token)}' holds no key pair labelled '{Printable.Of(keyLabel)}' with the id the key reference names.");

    /// <summary>The token has several keys that match the reference: none is chosen.</summary>
    public static ConfigurationException Pkcs11KeyAmbiguous(string token, string keyLabel, int count) =>
        new(ErrorCode.Config, UpdateStage.Config, $"Token '{Printable.Of(token)}' holds {count} keys labelled '{Printable.Of(keyLabel)}' with the same id; refusing to guess which one signs.");

    /// <summary>A key found in the token that is not an Ed25519 signing key pair.</summary>
    public static ConfigurationException Pkcs11KeyUnusable(string token, string keyLabel, string reason) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The key '{Printable.Of(keyLabel)}' in token '{Printable.Of(token)}' cannot sign releases: {reason}.");

    /// <summary>Key generation would reuse a label the token already holds.</summary>
    public static ConfigurationException Pkcs11KeyLabelTaken(string token, string keyLabel) =>
        new(ErrorCode.Config, UpdateStage.Config, $"Token '{Printable.Of(token)}' already holds an object labelled '{Printable.Of(keyLabel)}'; keys are never overwritten.") { Setting = "KeyLabel" };

    /// <summary>The token's public key is not the one the key reference was written for.</summary>
    public static ConfigurationException Pkcs11KeyMismatch(string path, string token, string keyLabel, string expected, string actual) =>
        new(ErrorCode.Config, UpdateStage.Config,
            $"The key reference '{Printable.Of(path)}' names key id {Printable.Of(expected)}, but the key '{Printable.Of(keyLabel)}' in token '{Printable.Of(token)}' has key id {actual}; refusing to sign with another key.") { Path = path };

    /// <summary>A signature made in the token that does not verify under the token's own public key.</summary>
    public static ConfigurationException Pkcs11SignatureInvalid(string token, string keyLabel) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The signature made by the key '{Printable.Of(keyLabel)}' in token '{Printable.Of(token)}' does not verify under its public key; nothing was signed.");

    /// <summary>Any other failure of a PKCS#11 call.</summary>
    public static ConfigurationException Pkcs11Failed(string token, string operation, Exception inner) =>
        new(ErrorCode.Config, UpdateStage.Config, $"Token '{Printable.Of(token)}' could not {operation}: {Printable.Of(inner.Message)}.", inner);
}
