using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Opens an encrypted private key file (<c>secure-update/encrypted-private-key/v1</c>) the way
/// docs/formats.md describes it, with NSec directly and not with the library, so that the two cross-check the format.
/// </summary>
public static class EncryptedKeyReader
{
    /// <summary>The raw Ed25519 public key of the seed sealed in <paramref name="keyFileBytes"/>, or null when the passphrase does not open it.</summary>
    public static byte[]? PublicKeyOf(byte[] keyFileBytes, string passphrase)
    {
        using var document = JsonDocument.Parse(keyFileBytes);
        var root = document.RootElement;
        root.GetProperty("schema").GetString().Should().Be("secure-update/encrypted-private-key/v1");
        root.GetProperty("algorithm").GetString().Should().Be("ed25519");
        root.TryGetProperty("privateKey", out _).Should().BeFalse("an encrypted key file holds no plain key");
        var keyId = root.GetProperty("keyId").GetString()!;
        var kdf = root.GetProperty("kdf");
        kdf.GetProperty("name").GetString().Should().Be("argon2id");
        var memoryKiB = kdf.GetProperty("memoryKiB").GetInt32();
        var passes = kdf.GetProperty("passes").GetInt32();
        var parallelism = kdf.GetProperty("parallelism").GetInt32();
        var salt = Convert.FromBase64String(kdf.GetProperty("salt").GetString()!);
        salt.Should().HaveCount(16);
        var aead = root.GetProperty("aead");
        aead.GetProperty("name").GetString().Should().Be("xchacha20-poly1305");
        var nonce = Convert.FromBase64String(aead.GetProperty("nonce").GetString()!);
        nonce.Should().HaveCount(24);
        var ciphertext = Convert.FromBase64String(root.GetProperty("ciphertext").GetString()!);
        ciphertext.Should().HaveCount(48, "the 32-byte seed and the 16-byte tag");

        var argon2id = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters { MemorySize = memoryKiB, NumberOfPasses = passes, DegreeOfParallelism = parallelism });
        using var key = argon2id.DeriveKey(Encoding.UTF8.GetBytes(passphrase), salt, AeadAlgorithm.XChaCha20Poly1305);
        var associatedData = Encoding.UTF8.GetBytes(
            $"secure-update/encrypted-private-key/v1\ned25519\n{keyId}\nargon2id m={memoryKiB} t={passes} p={parallelism}\nxchacha20-poly1305");
        var seed = new byte[32];
        if (!AeadAlgorithm.XChaCha20Poly1305.Decrypt(key, nonce, associatedData, ciphertext, seed))
        {
            return null;
        }

        using var signingKey = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        var publicKey = signingKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Convert.ToHexStringLower(SHA256.HashData(publicKey)).Should().Be(keyId, "the key id names the sealed key");
        return publicKey;
    }
}
