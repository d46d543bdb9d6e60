using System.IO.Abstractions.TestingHelpers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

using Ed25519 = SecureUpdate.Trust.Ed25519;

namespace SecureUpdate.Tests.Trust;

/// <summary>
/// Encrypted private key files (<c>secure-update/encrypted-private-key/v1</c>) through <see cref="KeyFiles.Load"/>:
/// they unlock only with the right passphrase and only as written, refuse hostile KDF parameters
/// before deriving anything, and never hold the seed in the clear.
/// </summary>
public sealed class EncryptedKeyFileTests
{
    private const string KeyPath = "/keys/release.key";
    private const string Passphrase = "correct horse battery staple";

    private readonly MockFileSystem _fileSystem = new();

    [Fact]
    public void Load_RightPassphrase_SignsVerifiablyUnderTheOriginalPublicKey()
    {
        using SigningKey original = SigningKey.Generate();
        _fileSystem.AddFile(KeyPath, new MockFileData(EncryptedKeyFile.Encrypt(original, Passphrase)));
        byte[] digest = SHA256.HashData("a manifest"u8);
        var passphrases = new FixedPassphraseProvider(Passphrase);

        using IDocumentSigner loaded = KeyFiles.Load(_fileSystem, KeyPath, passphrases);
        SignatureEntry entry = loaded.Sign(DocumentType.Manifest, digest);

        passphrases.Calls.Should().Be(1);
        loaded.KeyId.Should().Be(original.KeyId);
        loaded.PublicKey.Should().Equal(original.PublicKey);
        entry.KeyId.Should().Be(original.KeyId);
        Ed25519.Verify(original.PublicKey, SignatureDomain.Message(DocumentType.Manifest, digest), Convert.FromBase64String(entry.Signature)).Should().BeTrue();
    }

    [Fact]
    public void Encrypt_Always_WritesTheDocumentedFormatThatAnIndependentReaderOpens()
    {
        using SigningKey key = SigningKey.Generate();

        byte[] file = EncryptedKeyFile.Encrypt(key, Passphrase);

        JsonObject root = JsonNode.Parse(file)!.AsObject();
        root.Select(member => member.Key).Should().Equal("schema", "algorithm", "keyId", "kdf", "aead", "ciphertext");
        root["keyId"]!.GetValue<string>().Should().Be(key.KeyId);
        root["kdf"]!["memoryKiB"]!.GetValue<int>().Should().Be(64 * 1024, "64 MiB of Argon2id memory");
        root["kdf"]!["passes"]!.GetValue<int>().Should().Be(3);
        root["kdf"]!["parallelism"]!.GetValue<int>().Should().Be(1);
        EncryptedKeyReader.PublicKeyOf(file, Passphrase).Should().Equal(key.PublicKey, "docs/formats.md is enough to open the file");
        EncryptedKeyReader.PublicKeyOf(file, "another passphrase").Should().BeNull();
    }

    [Fact]
    public void Encrypt_Always_KeepsTheSeedOutOfTheFileAndSealsAfresh()
    {
        using SigningKey key = SigningKey.Generate();
        byte[] seed = new byte[32];
        key.ExportSeed(seed);

        byte[] first = EncryptedKeyFile.Encrypt(key, Passphrase);
        byte[] second = EncryptedKeyFile.Encrypt(key, Passphrase);

        foreach (byte[] file in new[] { first, second })
        {
            string text = Encoding.UTF8.GetString(file);
            file.AsSpan().IndexOf(seed).Should().Be(-1, "the raw seed is never in the file");
            text.Should().NotContain(Convert.ToBase64String(seed)).And.NotContain(Convert.ToBase64String(seed).Replace("+", "\\u002B", StringComparison.Ordinal));
            text.Should().NotContainEquivalentOf(Convert.ToHexString(seed)).And.NotContain("privateKey");
        }

        JsonNode a = JsonNode.Parse(first)!;
        JsonNode b = JsonNode.Parse(second)!;
        a["kdf"]!["salt"]!.GetValue<string>().Should().NotBe(b["kdf"]!["salt"]!.GetValue<string>(), "every file has a fresh salt");
        a["aead"]!["nonce"]!.GetValue<string>().Should().NotBe(b["aead"]!["nonce"]!.GetValue<string>(), "every file has a fresh nonce");
        a["ciphertext"]!.GetValue<string>().Should().NotBe(b["ciphertext"]!.GetValue<string>());
    }

    [Fact]
    public void Load_NonAsciiPassphrase_RoundTrips()
    {
        using SigningKey original = SigningKey.Generate();
        const string passphrase = "pässwörd \u00e9t\u00e9 \U0001F511";
        _fileSystem.AddFile(KeyPath, new MockFileData(EncryptedKeyFile.Encrypt(original, passphrase)));

        using IDocumentSigner loaded = KeyFiles.Load(_fileSystem, KeyPath, new FixedPassphraseProvider(passphrase));

        loaded.PublicKey.Should().Equal(original.PublicKey);
    }

    [Fact]
    public void Load_WrongPassphrase_ThrowsConfigurationException()
    {
        using SigningKey original = SigningKey.Generate();
        _fileSystem.AddFile(KeyPath, new MockFileData(EncryptedKeyFile.Encrypt(original, Passphrase)));

        Action load = () => KeyFiles.Load(_fileSystem, KeyPath, new FixedPassphraseProvider(Passphrase + "!"));

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Path.Should().Be(KeyPath);
        ex.Message.Should().Contain("cannot be unlocked").And.NotContain(Passphrase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Load_NoPassphrase_ThrowsConfigurationExceptionNamingTheSetting(string? passphrase)
    {
        using SigningKey original = SigningKey.Generate();
        _fileSystem.AddFile(KeyPath, new MockFileData(EncryptedKeyFile.Encrypt(original, Passphrase)));

        Action load = () => KeyFiles.Load(_fileSystem, KeyPath, new FixedPassphraseProvider(passphrase));

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Setting.Should().Be("KeyPassphrase", "the command line maps it to its own advice");
        ex.Message.Should().Contain("is encrypted and no passphrase is available");
    }

    public static TheoryData<string> Tamperings => new()
    {
        "ciphertext first byte", "ciphertext tag", "salt", "nonce", "key id of another key", "memoryKiB", "passes", "parts of another file",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Load_TamperedFile_DoesNotUnlock(string tampering)
    {
        using SigningKey key = SigningKey.Generate();
        using SigningKey other = SigningKey.Generate();
        byte[] file = EncryptedKeyFile.Encrypt(key, Passphrase);
        byte[] otherFile = EncryptedKeyFile.Encrypt(other, Passphrase);
        _fileSystem.AddFile(KeyPath, new MockFileData(Mutate(file, root =>
        {
            switch (tampering)
            {
                case "ciphertext first byte":
                    root["ciphertext"] = FlipByte(root["ciphertext"]!.GetValue<string>(), 0);
                    break;
                case "ciphertext tag":
                    root["ciphertext"] = FlipByte(root["ciphertext"]!.GetValue<string>(), 47);
                    break;
                case "salt":
                    root["kdf"]!["salt"] = FlipByte(root["kdf"]!["salt"]!.GetValue<string>(), 3);
                    break;
                case "nonce":
                    root["aead"]!["nonce"] = FlipByte(root["aead"]!["nonce"]!.GetValue<string>(), 23);
                    break;
                case "key id of another key":
                    root["keyId"] = other.KeyId;
                    break;
                case "memoryKiB":
                    root["kdf"]!["memoryKiB"] = (64 * 1024) + 4;
                    break;
                case "passes":
                    root["kdf"]!["passes"] = 4;
                    break;
                case "parts of another file":
                    // Everything sealed under the same passphrase, but another key's: the key id is bound.
                    JsonObject donor = JsonNode.Parse(otherFile)!.AsObject();
                    root["kdf"] = donor["kdf"]!.DeepClone();
                    root["aead"] = donor["aead"]!.DeepClone();
                    root["ciphertext"] = donor["ciphertext"]!.DeepClone();
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(tampering));
            }
        })));

        Action load = () => KeyFiles.Load(_fileSystem, KeyPath, new FixedPassphraseProvider(Passphrase));

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Message.Should().Contain("cannot be unlocked");
    }

    [Theory]
    [InlineData(4L * 1024 * 1024, 3, 1)]
    [InlineData(int.MaxValue, 3, 1)]
    [InlineData(1L << 40, 3, 1)]
    [InlineData(512L * 1024, 3, 1)]
    [InlineData(64L * 1024, 1_000_000, 1)]
    [InlineData(64L * 1024, 11, 1)]
    [InlineData(64L * 1024, 0, 1)]
    [InlineData(64L * 1024, 3, 4)]
    [InlineData(64L * 1024, 3, 0)]
    [InlineData(4, 3, 1)]
    [InlineData(-1, 3, 1)]
    public void Load_AbsurdKdfParameters_RefusedBeforeThePassphraseIsAskedFor(long memoryKiB, int passes, int parallelism)
    {
        using SigningKey key = SigningKey.Generate();
        _fileSystem.AddFile(KeyPath, new MockFileData(Mutate(EncryptedKeyFile.Encrypt(key, Passphrase), root =>
        {
            root["kdf"]!["memoryKiB"] = memoryKiB;
            root["kdf"]!["passes"] = passes;
            root["kdf"]!["parallelism"] = parallelism;
        })));
        var passphrases = new FixedPassphraseProvider(Passphrase);
        var started = System.Diagnostics.Stopwatch.StartNew();

        Action load = () => KeyFiles.Load(_fileSystem, KeyPath, passphrases);

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "nothing is derived from a refused file");
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Message.Should().Contain("is not valid");
        passphrases.Calls.Should().Be(0, "the parameters are checked before anything is asked for or derived");
    }

    public static TheoryData<string> MalformedFiles => new()
    {
        "unknown member", "scrypt", "aes-256-gcm", "short salt", "short nonce", "long ciphertext", "uppercase key id", "rsa", "missing aead",
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Load_MalformedFile_RefusedBeforeThePassphraseIsAskedFor(string malformation)
    {
        using SigningKey key = SigningKey.Generate();
        _fileSystem.AddFile(KeyPath, new MockFileData(Mutate(EncryptedKeyFile.Encrypt(key, Passphrase), root =>
        {
            switch (malformation)
            {
                case "unknown member":
                    root["comment"] = "hello";
                    break;
                case "scrypt":
                    root["kdf"]!["name"] = "scrypt";
                    break;
                case "aes-256-gcm":
                    root["aead"]!["name"] = "aes-256-gcm";
                    break;
                case "short salt":
                    root["kdf"]!["salt"] = Convert.ToBase64String(new byte[8]);
                    break;
                case "short nonce":
                    root["aead"]!["nonce"] = Convert.ToBase64String(new byte[12]);
                    break;
                case "long ciphertext":
                    root["ciphertext"] = Convert.ToBase64String(new byte[64]);
                    break;
                case "uppercase key id":
                    root["keyId"] = key.KeyId.ToUpperInvariant();
                    break;
                case "rsa":
                    root["algorithm"] = "rsa";
                    break;
                case "missing aead":
                    root.Remove("aead");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(malformation));
            }
        })));
        var passphrases = new FixedPassphraseProvider(Passphrase);

        Action load = () => KeyFiles.Load(_fileSystem, KeyPath, passphrases);

        load.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("is not valid");
        passphrases.Calls.Should().Be(0);
    }

    [Fact]
    public void Encrypt_EmptyPassphrase_ThrowsUsage()
    {
        using SigningKey key = SigningKey.Generate();

        Action encrypt = () => EncryptedKeyFile.Encrypt(key, "");

        encrypt.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Usage);
    }

    private static string Mutate(byte[] file, Action<JsonObject> change)
    {
        JsonObject root = JsonNode.Parse(file)!.AsObject();
        change(root);
        root["schema"]!.GetValue<string>().Should().Be(EncryptedPrivateKeyDocument.SchemaName);
        return root.ToJsonString();
    }

    private static string FlipByte(string base64, int index)
    {
        byte[] bytes = Convert.FromBase64String(base64);
        bytes[index] ^= 0x01;
        return Convert.ToBase64String(bytes);
    }
}
