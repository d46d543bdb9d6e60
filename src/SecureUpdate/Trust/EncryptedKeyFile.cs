using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Formats;

namespace SecureUpdate.Trust;

/// <summary>
/// Passphrase-encrypted private key files (<c>secure-update/encrypted-private-key/v1</c>, docs/formats.md):
/// the 32-byte Ed25519 seed sealed with XChaCha20-Poly1305 under a key that Argon2id derives from the
/// passphrase and a random salt. The associated data binds the schema, the algorithm, the key id and
/// the KDF and cipher parameters, so the parts of one file cannot be recombined with another's.
/// <see cref="KeyFiles.Load"/> picks this by schema.
/// </summary>
internal static class EncryptedKeyFile
{
    /// <summary>The key derivation function, as the file names it.</summary>
    public const string KdfName = "argon2id";

    /// <summary>The cipher, as the file names it.</summary>
    public const string AeadName = "xchacha20-poly1305";

    /// <summary>Argon2id memory for a new key, in KiB: 64 MiB (RFC 9106's second recommended option).</summary>
    public const int MemoryKiB = 64 * 1024;

    /// <summary>Argon2id passes for a new key.</summary>
    public const int Passes = 3;

    /// <summary>Argon2id lanes: libsodium computes one lane, so this is the only value accepted.</summary>
    public const int Parallelism = 1;

    /// <summary>Least memory accepted when reading, in KiB (8 MiB).</summary>
    public const int MinMemoryKiB = 8 * 1024;

    /// <summary>Most memory accepted when reading, in KiB (256 MiB): a key file cannot make us allocate more.</summary>
    public const int MaxMemoryKiB = 256 * 1024;

    /// <summary>Most passes accepted when reading: with <see cref="MaxMemoryKiB"/>, seconds of work, never minutes.</summary>
    public const int MaxPasses = 10;

    private const int SaltBytes = 16;
    private const int NonceBytes = 24;
    private const int SeedBytes = 32;
    private const int TagBytes = 16;

    private static readonly AeadAlgorithm s_aead = AeadAlgorithm.XChaCha20Poly1305;

    /// <summary>
    /// The encrypted private key file's bytes for <paramref name="key"/>, with a fresh salt and nonce.
    /// The seed is zeroed once sealed; the file holds no secret in the clear.
    /// </summary>
    /// <exception cref="ConfigurationException">The passphrase is empty.</exception>
    public static byte[] Encrypt(SigningKey key, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(passphrase);
        if (passphrase.Length == 0)
        {
            throw Error.PassphraseEmpty();
        }

        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        Span<byte> seed = stackalloc byte[SeedBytes];
        try
        {
            key.ExportSeed(seed);
            using var sealingKey = DeriveKey(passphrase, salt, MemoryKiB, Passes);
            var ciphertext = s_aead.Encrypt(sealingKey, nonce, AssociatedData(key.KeyId, MemoryKiB, Passes, Parallelism), seed);
            return StrictJson.Write(
                new EncryptedPrivateKeyDocument
                {
                    Schema = EncryptedPrivateKeyDocument.SchemaName,
                    Algorithm = "ed25519",
                    KeyId = key.KeyId,
                    Kdf = new KeyDerivationDocument { Name = KdfName, MemoryKiB = MemoryKiB, Passes = Passes, Parallelism = Parallelism, Salt = Convert.ToBase64String(salt) },
                    Aead = new KeyEncryptionDocument { Name = AeadName, Nonce = Convert.ToBase64String(nonce) },
                    Ciphertext = Convert.ToBase64String(ciphertext),
                },
                SecureUpdateJsonContext.Default.EncryptedPrivateKeyDocument);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Reads an encrypted private key file's bytes and unlocks it with the passphrase
    /// <paramref name="passphrases"/> gives for <paramref name="path"/>. The file is checked in full
    /// (every field, the KDF parameters within their caps) before the passphrase is asked for.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is not valid, no passphrase is available, or it does not unlock.</exception>
    public static SigningKey Unlock(ReadOnlySpan<byte> bytes, string path, IKeyPassphraseProvider passphrases)
    {
        ArgumentNullException.ThrowIfNull(passphrases);
        var document = Parse(bytes, path, out var salt, out var nonce, out var ciphertext);
        var passphrase = passphrases.GetPassphrase(path);
        if (string.IsNullOrEmpty(passphrase))
        {
            throw Error.PassphraseUnavailable(path);
        }

        Span<byte> seed = stackalloc byte[SeedBytes];
        try
        {
            bool opened;
            try
            {
                using var sealingKey = DeriveKey(passphrase, salt, document.Kdf.MemoryKiB, document.Kdf.Passes);
                var associatedData = AssociatedData(document.KeyId, document.Kdf.MemoryKiB, document.Kdf.Passes, document.Kdf.Parallelism);
                opened = s_aead.Decrypt(sealingKey, nonce, associatedData, ciphertext, seed);
            }
            catch (CryptographicException ex)
            {
                throw Error.FileInvalid("private key file", path, "its encryption key cannot be derived", ex);
            }

            if (!opened)
            {
                throw Error.KeyNotUnlocked(path);
            }

            var key = SigningKey.FromSeed(seed);
            if (!string.Equals(key.KeyId, document.KeyId, StringComparison.Ordinal))
            {
                key.Dispose();
                throw Error.FileInvalid("private key file", path, "its key id does not match the key");
            }

            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// What the cipher authenticates besides the seed: every field that says what the seed is and how
    /// it was sealed (the salt and nonce are bound already, by the key derivation and the cipher).
    /// </summary>
    private static byte[] AssociatedData(string keyId, int memoryKiB, int passes, int parallelism) =>
        Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{EncryptedPrivateKeyDocument.SchemaName}\ned25519\n{keyId}\n{KdfName} m={memoryKiB} t={passes} p={parallelism}\n{AeadName}"));

    /// <summary>Argon2id of the passphrase's UTF-8 bytes (in a pinned buffer, zeroed after) into an XChaCha20-Poly1305 key.</summary>
    private static Key DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int memoryKiB, int passes)
    {
        var kdf = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters { DegreeOfParallelism = Parallelism, MemorySize = memoryKiB, NumberOfPasses = passes });
        var utf8 = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(passphrase), pinned: true);
        try
        {
            Encoding.UTF8.GetBytes(passphrase, utf8);
            return kdf.DeriveKey(utf8, salt, s_aead);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>The document, strictly parsed and checked in full, with its salt, nonce and ciphertext decoded.</summary>
    private static EncryptedPrivateKeyDocument Parse(ReadOnlySpan<byte> bytes, string path, out byte[] salt, out byte[] nonce, out byte[] ciphertext)
    {
        try
        {
            var document = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.EncryptedPrivateKeyDocument);
            if (document.Schema != EncryptedPrivateKeyDocument.SchemaName || document.Algorithm != "ed25519")
            {
                throw new FormatException("it is not an encrypted ed25519 private key file");
            }

            if (document.KeyId.Length != 64 || !document.KeyId.All(char.IsAsciiHexDigitLower))
            {
                throw new FormatException("its key id is not 64 lowercase hex characters");
            }

            var kdf = document.Kdf;
            if (kdf.Name != KdfName || document.Aead.Name != AeadName)
            {
                throw new FormatException($"only {KdfName} with {AeadName} is supported");
            }

            // Checked before anything is derived: a hostile file must not make us allocate or compute without bound.
            if (kdf.MemoryKiB is < MinMemoryKiB or > MaxMemoryKiB || kdf.Passes is < 1 or > MaxPasses || kdf.Parallelism != Parallelism)
            {
                throw new FormatException(
                    $"its key derivation parameters are outside the accepted range (memory {MinMemoryKiB}-{MaxMemoryKiB} KiB, 1-{MaxPasses} passes, parallelism {Parallelism})");
            }

            salt = Decode(kdf.Salt, SaltBytes, "salt");
            nonce = Decode(document.Aead.Nonce, NonceBytes, "nonce");
            ciphertext = Decode(document.Ciphertext, SeedBytes + TagBytes, "ciphertext");
            return document;
        }
        catch (FormatException ex)
        {
            throw Error.FileInvalid("private key file", path, ex.Message, ex);
        }
    }

    private static byte[] Decode(string base64, int length, string what)
    {
        var bytes = new byte[length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != length)
        {
            throw new FormatException($"the {what} is not {length} bytes of base64");
        }

        return bytes;
    }
}
