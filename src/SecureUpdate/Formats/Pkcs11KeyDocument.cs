namespace SecureUpdate.Formats;

/// <summary>
/// A <c>.key</c> file that names a key inside an HSM instead of holding it (docs/formats.md,
/// "PKCS#11 key reference"): where the module is, which token and key, which environment
/// variable holds the PIN, and the key id the token's public key must have. No key material.
/// </summary>
internal sealed class Pkcs11KeyDocument
{
    public const string SchemaName = "secure-update/pkcs11-key/v1";

    public required string Schema { get; init; }

    public required string Algorithm { get; init; }

    public required string KeyId { get; init; }

    public required string Module { get; init; }

    public required string TokenLabel { get; init; }

    public required string KeyLabel { get; init; }

    /// <summary>Lowercase hex of the key's <c>CKA_ID</c>; absent: the key is found by its label alone.</summary>
    public string? CkaId { get; init; }

    public required string PinEnv { get; init; }
}
