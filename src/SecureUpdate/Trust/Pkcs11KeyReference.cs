using System.Text;
using SecureUpdate.Errors;
using SecureUpdate.Formats;

namespace SecureUpdate.Trust;

/// <summary>
/// A key reference (<c>secure-update/pkcs11-key/v1</c>): which PKCS#11 module, token and key sign,
/// which environment variable holds the user PIN, and the key id the token's public key must have.
/// It holds no key material; <see cref="KeyFiles.Load"/> picks it by schema and opens a <see cref="Pkcs11Signer"/>.
/// </summary>
internal sealed class Pkcs11KeyReference
{
    /// <summary>The longest token label: <c>CK_TOKEN_INFO</c> holds 32 bytes.</summary>
    public const int MaxTokenLabelBytes = 32;

    /// <summary>The longest key label accepted.</summary>
    public const int MaxKeyLabelBytes = 256;

    /// <summary>The longest <c>CKA_ID</c> accepted.</summary>
    public const int MaxCkaIdBytes = 128;

    /// <summary>The path or library name of the PKCS#11 module.</summary>
    public required string Module { get; init; }

    /// <summary>The label of the token that holds the key.</summary>
    public required string TokenLabel { get; init; }

    /// <summary>The <c>CKA_LABEL</c> of the key pair.</summary>
    public required string KeyLabel { get; init; }

    /// <summary>The <c>CKA_ID</c> of the key pair, or null to find it by label alone.</summary>
    public byte[]? CkaId { get; init; }

    /// <summary>The environment variable that holds the user PIN.</summary>
    public required string PinVariable { get; init; }

    /// <summary>Lowercase hex SHA-256 of the key's raw public key.</summary>
    public required string KeyId { get; init; }

    /// <summary>Reads a key reference file's bytes.</summary>
    /// <exception cref="ConfigurationException">It is not a valid key reference.</exception>
    public static Pkcs11KeyReference Parse(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.Pkcs11KeyDocument);
            if (doc.Schema != Pkcs11KeyDocument.SchemaName || doc.Algorithm != "ed25519")
            {
                throw new FormatException("it is not a reference to an ed25519 key");
            }

            if (doc.KeyId.Length != 64 || !IsLowercaseHex(doc.KeyId))
            {
                throw new FormatException("the key id is not 64 lowercase hex digits");
            }

            if (doc.Module.Length == 0 || doc.Module.Contains('\0', StringComparison.Ordinal))
            {
                throw new FormatException("the module is empty or holds a NUL character");
            }

            var reason = CheckLabels(doc.TokenLabel, doc.KeyLabel);
            if (reason is not null)
            {
                throw new FormatException(reason);
            }

            if (doc.CkaId is not null && (doc.CkaId.Length == 0 || doc.CkaId.Length > 2 * MaxCkaIdBytes || doc.CkaId.Length % 2 != 0 || !IsLowercaseHex(doc.CkaId)))
            {
                throw new FormatException($"the ckaId is not 1-{MaxCkaIdBytes} bytes of lowercase hex");
            }

            if (!IsVariableName(doc.PinEnv))
            {
                throw new FormatException("the pinEnv is not an environment variable name");
            }

            return new Pkcs11KeyReference
            {
                Module = doc.Module,
                TokenLabel = doc.TokenLabel,
                KeyLabel = doc.KeyLabel,
                CkaId = doc.CkaId is null ? null : Convert.FromHexString(doc.CkaId),
                PinVariable = doc.PinEnv,
                KeyId = doc.KeyId,
            };
        }
        catch (FormatException ex)
        {
            throw Error.FileInvalid("key reference file", path, ex.Message, ex);
        }
    }

    /// <summary>Why a token or key label cannot be used, or null when both can.</summary>
    public static string? CheckLabels(string tokenLabel, string keyLabel)
    {
        ArgumentNullException.ThrowIfNull(tokenLabel);
        ArgumentNullException.ThrowIfNull(keyLabel);
        if (tokenLabel.Length == 0 || Encoding.UTF8.GetByteCount(tokenLabel) > MaxTokenLabelBytes || tokenLabel.Any(char.IsControl) || tokenLabel.EndsWith(' '))
        {
            return $"the token label must be 1-{MaxTokenLabelBytes} bytes of UTF-8 without control characters or trailing spaces";
        }

        if (keyLabel.Length == 0 || Encoding.UTF8.GetByteCount(keyLabel) > MaxKeyLabelBytes || keyLabel.Any(char.IsControl))
        {
            return $"the key label must be 1-{MaxKeyLabelBytes} bytes of UTF-8 without control characters";
        }

        return null;
    }

    /// <summary>Whether <paramref name="name"/> is a portable environment variable name: 1-128 of A-Z, a-z, 0-9, '_', not starting with a digit.</summary>
    public static bool IsVariableName(string? name) =>
        name is { Length: > 0 and <= 128 } && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The key reference file's bytes.</summary>
    public byte[] Export() =>
        StrictJson.Write(
            new Pkcs11KeyDocument
            {
                Schema = Pkcs11KeyDocument.SchemaName,
                Algorithm = "ed25519",
                KeyId = KeyId,
                Module = Module,
                TokenLabel = TokenLabel,
                KeyLabel = KeyLabel,
                CkaId = CkaId is null ? null : Convert.ToHexStringLower(CkaId),
                PinEnv = PinVariable,
            },
            SecureUpdateJsonContext.Default.Pkcs11KeyDocument);

    private static bool IsLowercaseHex(string value) => value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
