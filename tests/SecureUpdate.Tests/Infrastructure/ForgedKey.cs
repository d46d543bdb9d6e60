using System.Security.Cryptography;
using System.Text.Json;
using NSec.Cryptography;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// An Ed25519 key pair held by the test's independent signer, built on NSec directly from
/// docs/formats.md (not from the library), so that the two implementations cross-check the format.
/// </summary>
public sealed class ForgedKey : IDisposable
{
    private static readonly SignatureAlgorithm s_algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;

    private ForgedKey(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = Convert.ToHexStringLower(SHA256.HashData(PublicKey));
    }

    /// <summary>The 32-byte raw public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Lowercase hex SHA-256 of the raw public key.</summary>
    public string KeyId { get; }

    /// <summary>The base64 public key, as key and trust files spell it.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(PublicKey);

    /// <summary>A fresh random key.</summary>
    public static ForgedKey Create() =>
        new(Key.Create(s_algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Reads a private key file (<c>secure-update/private-key/v1</c>) as formats.md describes it.</summary>
    public static ForgedKey Load(string privateKeyFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(privateKeyFile));
        var root = document.RootElement;
        root.GetProperty("schema").GetString().Should().Be("secure-update/private-key/v1");
        root.GetProperty("algorithm").GetString().Should().Be("ed25519");
        var seed = Convert.FromBase64String(root.GetProperty("privateKey").GetString()!);
        seed.Should().HaveCount(32, "the private key is the 32-byte Ed25519 seed");
        var key = Key.Import(s_algorithm, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var forged = new ForgedKey(key);
        root.GetProperty("keyId").GetString().Should().Be(forged.KeyId, "the private key file names the key id of its public key");
        return forged;
    }

    /// <summary>Signs <paramref name="message"/> with Ed25519.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => s_algorithm.Sign(_key, message);

    /// <summary>Verifies an Ed25519 signature with a raw public key.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var key = NSec.Cryptography.PublicKey.Import(s_algorithm, publicKey, KeyBlobFormat.RawPublicKey);
        return s_algorithm.Verify(key, message, signature);
    }

    /// <summary>Writes <c>NAME.pub</c>.</summary>
    public void WritePublicKeyFile(string path) => File.WriteAllBytes(path, TrustFileJson.PublicKeyFile(KeyId, PublicKeyBase64));

    /// <summary>Writes <c>NAME.key</c> with owner-only permissions.</summary>
    public void WritePrivateKeyFile(string path)
    {
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        File.WriteAllText(path, FeedForger.ToJson(new
        {
            schema = "secure-update/private-key/v1",
            algorithm = "ed25519",
            keyId = KeyId,
            privateKey = Convert.ToBase64String(seed),
        }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public void Dispose() => _key.Dispose();
}
