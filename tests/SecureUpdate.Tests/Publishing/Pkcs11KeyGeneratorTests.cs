using System.IO.Abstractions;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using SecureUpdate.Errors;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Publishing;

/// <summary><see cref="Pkcs11KeyGenerator"/> against a real SoftHSM2 token: the key is made inside it, and only a reference and the public key are written.</summary>
[UnsupportedOSPlatform("windows")]
[Collection(SoftHsmProcess.Name)]
public sealed class Pkcs11KeyGeneratorTests : IDisposable
{
    private const string Pin = "24681357";
    private const ulong CkkEcEdwards = 0x40;

    private readonly SoftHsmTokens _tokens;
    private readonly TempFolder _folder = new();
    private readonly FileSystem _fileSystem = new();
    private readonly string _pinVariable = "SU_TEST_PIN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _token;

    public Pkcs11KeyGeneratorTests(SoftHsmProcessFixture fixture)
    {
        _tokens = fixture.Tokens;
        _token = _tokens.CreateToken(Pin);
        Environment.SetEnvironmentVariable(_pinVariable, Pin);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_pinVariable, null);
        _folder.Dispose();
    }

    [Fact]
    public void Generate_InToken_WritesReferenceWithoutKeyMaterialAndMatchingPublicKey()
    {
        string keys = _folder.Combine("keys");

        string keyId = Generator().Generate(keys, "release", Request());

        File.GetUnixFileMode(Path.Combine(keys, "release.key")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using JsonDocument reference = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(keys, "release.key")));
        JsonElement root = reference.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal(["schema", "algorithm", "keyId", "module", "tokenLabel", "keyLabel", "ckaId", "pinEnv"], "the reference holds exactly the documented fields, and no key material");
        root.GetProperty("schema").GetString().Should().Be("secure-update/pkcs11-key/v1");
        root.GetProperty("algorithm").GetString().Should().Be("ed25519");
        root.GetProperty("keyId").GetString().Should().Be(keyId);
        root.GetProperty("module").GetString().Should().Be(SoftHsm.ModulePath);
        root.GetProperty("tokenLabel").GetString().Should().Be(_token);
        root.GetProperty("keyLabel").GetString().Should().Be("release", "the key label defaults to the key's name");
        root.GetProperty("ckaId").GetString().Should().MatchRegex("^([0-9a-f]{2}){16}$");
        root.GetProperty("pinEnv").GetString().Should().Be(_pinVariable, "the reference names the variable, never the PIN");
        File.ReadAllText(Path.Combine(keys, "release.key")).Should().NotContain(Pin);

        TrustRoot trust = TrustRoot.Load(_fileSystem, Path.Combine(keys, "release.pub"));
        trust.ReleaseRole.TryGetKey(keyId, includeVerifyOnly: false, out TrustedKey pinned).Should().BeTrue("the .pub is an ordinary public key file of the token's key");
        Convert.ToHexStringLower(SHA256.HashData(pinned.PublicKey)).Should().Be(keyId);
    }

    [Fact]
    public void Generate_InToken_PrivateKeyIsSensitiveAndNeverExtractable()
    {
        Generator().Generate(_folder.Path, "release", Request(keyLabel: "release-2026"));

        // Read back through Pkcs11Interop, not through the library's own binding.
        PrivateKeyAttributes key = IndependentPkcs11.ReadPrivateKeys(SoftHsm.ModulePath, _token, Pin, "release-2026").Should().ContainSingle().Subject;
        key.Token.Should().BeTrue("the key is stored in the token (CKA_TOKEN)");
        key.Sensitive.Should().BeTrue("CKA_SENSITIVE");
        key.Extractable.Should().BeFalse("CKA_EXTRACTABLE is false: the key can never be wrapped out");
        key.NeverExtractable.Should().BeTrue("the token vouches that it was never extractable");
        key.Sign.Should().BeTrue("CKA_SIGN");
        key.KeyType.Should().Be(CkkEcEdwards);
        key.ValueReadable.Should().BeFalse("reading CKA_VALUE, the private key itself, fails");
    }

    [Fact]
    public void Generate_KeyLabelAlreadyInToken_RefusedAndNothingWritten()
    {
        Generator().Generate(_folder.Combine("first"), "release", Request());

        Action again = () => Generator().Generate(_folder.Combine("second"), "other", Request(keyLabel: "release"));

        again.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("already holds an object labelled 'release'");
        Directory.Exists(_folder.Combine("second")).Should().BeFalse("nothing is written when the label is taken");
        IndependentPkcs11.ReadPrivateKeys(SoftHsm.ModulePath, _token, Pin, "release").Should().ContainSingle("no second key was made");
    }

    [Fact]
    public void Generate_PinVariableUnset_RefusedAndNothingWritten()
    {
        Environment.SetEnvironmentVariable(_pinVariable, null);

        Action generate = () => Generator().Generate(_folder.Combine("keys"), "release", Request());

        ConfigurationException ex = generate.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Message.Should().Contain($"'{_pinVariable}'").And.Contain("is not set");
        Directory.Exists(_folder.Combine("keys")).Should().BeFalse();
    }

    [Fact]
    public void Generate_WrongPin_RefusedAndNothingWritten()
    {
        Environment.SetEnvironmentVariable(_pinVariable, "00000000");

        Action generate = () => Generator().Generate(_folder.Combine("keys"), "release", Request());

        generate.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("CKR_PIN_INCORRECT");
        Directory.Exists(_folder.Combine("keys")).Should().BeFalse();
    }

    [Fact]
    public void Generate_KeyFileAlreadyExists_RefusedBeforeTheTokenIsTouched()
    {
        Generator().Generate(_folder.Path, "release", Request());

        Action again = () => Generator().Generate(_folder.Path, "release", Request(keyLabel: "another"));

        again.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("already exists");
        IndependentPkcs11.ReadPrivateKeys(SoftHsm.ModulePath, _token, Pin, "another").Should().BeEmpty();
    }

    private Pkcs11KeyGenerator Generator() => new(_fileSystem);

    private Pkcs11KeyRequest Request(string? keyLabel = null) =>
        new() { Module = SoftHsm.ModulePath, TokenLabel = _token, KeyLabel = keyLabel, PinVariable = _pinVariable };
}
