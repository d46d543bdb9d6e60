using System.IO.Abstractions;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

using Ed25519 = SecureUpdate.Trust.Ed25519;

namespace SecureUpdate.Tests.Trust;

/// <summary>A key reference opened by <see cref="KeyFiles.Load"/> signs inside a real SoftHSM2 token, and refuses every way it could sign wrongly.</summary>
[UnsupportedOSPlatform("windows")]
[Collection(SoftHsmProcess.Name)]
public sealed class Pkcs11SignerTests : IDisposable
{
    private const string Pin = "13572468";

    private readonly SoftHsmTokens _tokens;
    private readonly TempFolder _folder = new();
    private readonly FileSystem _fileSystem = new();
    private readonly string _pinVariable = "SU_TEST_PIN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _token;
    private readonly string _reference;
    private readonly byte[] _publicKey;

    public Pkcs11SignerTests(SoftHsmProcessFixture fixture)
    {
        _tokens = fixture.Tokens;
        _token = _tokens.CreateToken(Pin);
        Environment.SetEnvironmentVariable(_pinVariable, Pin);
        new Pkcs11KeyGenerator(_fileSystem).Generate(
            _folder.Path, "release", new Pkcs11KeyRequest { Module = SoftHsm.ModulePath, TokenLabel = _token, PinVariable = _pinVariable });
        _reference = _folder.Combine("release.key");
        using JsonDocument pub = JsonDocument.Parse(File.ReadAllBytes(_folder.Combine("release.pub")));
        _publicKey = Convert.FromBase64String(pub.RootElement.GetProperty("publicKey").GetString()!);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_pinVariable, null);
        _folder.Dispose();
    }

    [Fact]
    public void Load_Reference_SignsInTheTokenVerifiablyUnderThePublicKeyFile()
    {
        byte[] digest = SHA256.HashData("a manifest"u8);

        using IDocumentSigner signer = KeyFiles.Load(_fileSystem, _reference, new EnvironmentPassphraseProvider());
        SignatureEntry manifest = signer.Sign(DocumentType.Manifest, digest);
        SignatureEntry channel = signer.Sign(DocumentType.Channel, digest);

        signer.PublicKey.Should().Equal(_publicKey);
        signer.KeyId.Should().Be(Convert.ToHexStringLower(SHA256.HashData(_publicKey)));
        manifest.KeyId.Should().Be(signer.KeyId);
        byte[] signature = Convert.FromBase64String(manifest.Signature);
        Ed25519.Verify(_publicKey, SignatureDomain.Message(DocumentType.Manifest, digest), signature).Should().BeTrue("CKM_EDDSA is pure Ed25519 over the domain-separated message");
        Ed25519.Verify(_publicKey, SignatureDomain.Message(DocumentType.Channel, digest), signature).Should().BeFalse();
        Ed25519.Verify(_publicKey, SignatureDomain.Message(DocumentType.Channel, digest), Convert.FromBase64String(channel.Signature)).Should().BeTrue();
    }

    [Fact]
    public void Load_DisposedSigner_FinalizesTheModuleSoThatATokenMadeSinceIsFound()
    {
        KeyFiles.Load(_fileSystem, _reference, new EnvironmentPassphraseProvider()).Dispose();
        string later = _tokens.CreateToken(Pin);
        string laterKeyId = new Pkcs11KeyGenerator(_fileSystem).Generate(
            _folder.Combine("later"), "release", new Pkcs11KeyRequest { Module = SoftHsm.ModulePath, TokenLabel = later, PinVariable = _pinVariable });

        using IDocumentSigner signer = KeyFiles.Load(_fileSystem, _folder.Combine("later", "release.key"), new EnvironmentPassphraseProvider());

        signer.KeyId.Should().Be(laterKeyId, "SoftHSM2 lists tokens when it is initialised: finding the new one proves the last signer finalized it")
            .And.NotBe(Convert.ToHexStringLower(SHA256.HashData(_publicKey)));
    }

    [Fact]
    public void Load_TwoReferencesInOneProcess_BothSignAndCloseInAnyOrder()
    {
        using IDocumentSigner first = KeyFiles.Load(_fileSystem, _reference, new EnvironmentPassphraseProvider());
        IDocumentSigner second = KeyFiles.Load(_fileSystem, _reference, new EnvironmentPassphraseProvider());
        byte[] digest = SHA256.HashData("twice"u8);

        second.Sign(DocumentType.Manifest, digest);
        second.Dispose();
        SignatureEntry entry = first.Sign(DocumentType.Manifest, digest);

        Ed25519.Verify(_publicKey, SignatureDomain.Message(DocumentType.Manifest, digest), Convert.FromBase64String(entry.Signature))
            .Should().BeTrue("one signer closing keeps the module initialised for the other");
    }

    [Fact]
    public void Load_WrongPin_ThrowsConfigurationException()
    {
        Environment.SetEnvironmentVariable(_pinVariable, "99999999");

        ConfigurationException ex = Refused(_reference);

        ex.Message.Should().Contain($"Token '{_token}' refused the PIN in the environment variable '{_pinVariable}'");
    }

    [Fact]
    public void Load_PinVariableUnset_ThrowsConfigurationException()
    {
        Environment.SetEnvironmentVariable(_pinVariable, null);

        Refused(_reference).Message.Should().Be($"The environment variable '{_pinVariable}' that holds the token's user PIN is not set.");
    }

    [Fact]
    public void Load_MissingToken_ThrowsConfigurationException()
    {
        string reference = Edit(node => node["tokenLabel"] = "no-such-token");

        Refused(reference).Message.Should().Contain("has no token labelled 'no-such-token'");
    }

    [Fact]
    public void Load_MissingKey_ThrowsConfigurationException()
    {
        string reference = Edit(node => node["keyLabel"] = "no-such-key");

        Refused(reference).Message.Should().Contain($"Token '{_token}' holds no key pair labelled 'no-such-key'");
    }

    [Fact]
    public void Load_ModuleThatCannotBeLoaded_ThrowsConfigurationException()
    {
        string reference = Edit(node => node["module"] = _folder.Combine("missing", "libpkcs11.so"));

        Refused(reference).Message.Should().Contain("cannot be loaded");
    }

    [Fact]
    public void Load_LibraryThatIsNotAPkcs11Module_ThrowsConfigurationException()
    {
        string reference = Edit(node => node["module"] = "libc.so.6");

        Refused(reference).Message.Should().Contain("not a PKCS#11 module");
    }

    [Fact]
    public void Load_ReferenceWhoseKeyIdIsNotTheTokensKey_ThrowsConfigurationException()
    {
        using ForgedKey other = ForgedKey.Create();
        string reference = Edit(node => node["keyId"] = other.KeyId);

        ConfigurationException ex = Refused(reference);

        ex.Message.Should().Contain($"names key id {other.KeyId}").And.Contain("refusing to sign with another key");
    }

    [Theory]
    [InlineData("pinEnv", "1PIN")]
    [InlineData("ckaId", "ABC")]
    [InlineData("keyId", "not hex")]
    [InlineData("tokenLabel", "a label longer than thirty-two bytes")]
    [InlineData("algorithm", "rsa")]
    public void Load_InvalidReference_ThrowsConfigurationExceptionWithoutLoadingTheModule(string field, string value)
    {
        string reference = Edit(node =>
        {
            node[field] = value;
            node["module"] = _folder.Combine("never-loaded.so");
        });

        Refused(reference).Message.Should().Contain("is not valid");
    }

    private ConfigurationException Refused(string reference)
    {
        Action load = () => KeyFiles.Load(_fileSystem, reference, new EnvironmentPassphraseProvider()).Dispose();
        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        return ex;
    }

    private string Edit(Action<JsonObject> change)
    {
        JsonObject node = JsonNode.Parse(File.ReadAllText(_reference))!.AsObject();
        change(node);
        string path = _folder.Combine(Guid.NewGuid().ToString("N")[..8] + ".key");
        File.WriteAllText(path, node.ToJsonString());
        return path;
    }
}
