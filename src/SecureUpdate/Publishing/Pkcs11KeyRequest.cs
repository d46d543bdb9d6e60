namespace SecureUpdate.Publishing;

/// <summary>Where <see cref="Pkcs11KeyGenerator"/> makes a key: a PKCS#11 module, a token in it, and the key's label.</summary>
public sealed class Pkcs11KeyRequest
{
    /// <summary>The environment variable read for the user PIN when none is named.</summary>
    public const string DefaultPinVariable = "SECURE_UPDATE_PKCS11_PIN";

    /// <summary>The PKCS#11 module: a path to its shared library (made absolute when it names a folder), or a library name the loader finds.</summary>
    public required string Module { get; init; }

    /// <summary>The label of the token to make the key in.</summary>
    public required string TokenLabel { get; init; }

    /// <summary>The key pair's <c>CKA_LABEL</c>; null: the key's name. Must not be in use in the token.</summary>
    public string? KeyLabel { get; init; }

    /// <summary>The environment variable that holds the token's user PIN, now and whenever the key signs; never the PIN itself.</summary>
    public string PinVariable { get; init; } = DefaultPinVariable;
}
