using System.IO.Abstractions.TestingHelpers;
using System.Security.Cryptography;
using System.Text;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Trust;

using Ed25519 = SecureUpdate.Trust.Ed25519;

namespace SecureUpdate.Tests.Trust;

public sealed class SigningKeyTests
{
    private const string KeyPath = "/keys/release.key";

    private readonly MockFileSystem _fileSystem = new();

    [Fact]
    public void Load_ExportedPrivateKeyFile_SignsVerifiablyUnderTheOriginalPublicKey()
    {
        using SigningKey original = SigningKey.Generate();
        _fileSystem.AddFile(KeyPath, new MockFileData(original.ExportPrivateKeyFile()));
        byte[] digest = SHA256.HashData("a manifest"u8);

        using IDocumentSigner loaded = KeyFiles.Load(_fileSystem, KeyPath, new EnvironmentPassphraseProvider());
        SignatureEntry entry = loaded.Sign(DocumentType.Manifest, digest);

        loaded.KeyId.Should().Be(original.KeyId);
        loaded.PublicKey.Should().Equal(original.PublicKey);
        entry.KeyId.Should().Be(original.KeyId);
        byte[] signature = Convert.FromBase64String(entry.Signature);
        Ed25519.Verify(original.PublicKey, SignatureDomain.Message(DocumentType.Manifest, digest), signature).Should().BeTrue();
        Ed25519.Verify(original.PublicKey, SignatureDomain.Message(DocumentType.Channel, digest), signature).Should().BeFalse();
    }

    [Fact]
    public void ExportPrivateKeyFile_Always_WritesLowercaseKeyIdOfThePublicKey()
    {
        using SigningKey key = SigningKey.Generate();

        string text = Encoding.UTF8.GetString(key.ExportPrivateKeyFile());

        key.KeyId.Should().Be(Convert.ToHexStringLower(SHA256.HashData(key.PublicKey)));
        text.Should().Contain("\"schema\": \"secure-update/private-key/v1\"").And.Contain($"\"keyId\": \"{key.KeyId}\"");
    }

    [Fact]
    public void Load_TamperedKeyId_ThrowsConfigurationException()
    {
        using SigningKey key = SigningKey.Generate();
        using SigningKey other = SigningKey.Generate();
        string text = Encoding.UTF8.GetString(key.ExportPrivateKeyFile()).Replace(key.KeyId, other.KeyId, StringComparison.Ordinal);
        _fileSystem.AddFile(KeyPath, new MockFileData(text));

        Action load = () => KeyFiles.Load(_fileSystem, KeyPath, new EnvironmentPassphraseProvider());

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Message.Should().Contain("key id does not match");
    }

    [Theory]
    [InlineData("secure-update/public-key/v1", "ed25519", 32)]
    [InlineData("secure-update/private-key/v1", "rsa", 32)]
    [InlineData("secure-update/private-key/v1", "ed25519", 31)]
    [InlineData("secure-update/private-key/v1", "ed25519", 64)]
    public void Load_WrongSchemaAlgorithmOrSeedLength_ThrowsConfigurationException(string schema, string algorithm, int seedLength)
    {
        using SigningKey key = SigningKey.Generate();
        string json = $"{{\"schema\":\"{schema}\",\"algorithm\":\"{algorithm}\",\"keyId\":\"{key.KeyId}\",\"privateKey\":\"{Convert.ToBase64String(new byte[seedLength])}\"}}";
        _fileSystem.AddFile(KeyPath, new MockFileData(json));

        Action load = () => KeyFiles.Load(_fileSystem, KeyPath, new EnvironmentPassphraseProvider());

        load.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
    }

    [Fact]
    public void Load_MissingFile_ThrowsConfigurationException()
    {
        Action load = () => KeyFiles.Load(_fileSystem, "/keys/absent.key", new EnvironmentPassphraseProvider());

        load.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
    }
}
