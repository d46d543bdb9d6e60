using System.IO.Abstractions.TestingHelpers;
using System.Text;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Trust;

public sealed class TrustRootTests : IDisposable
{
    private const string TrustPath = "/keys/trust.json";

    private readonly SigningKey _a = SigningKey.Generate();
    private readonly SigningKey _b = SigningKey.Generate();
    private readonly SigningKey _c = SigningKey.Generate();
    private readonly MockFileSystem _fileSystem = new();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
    }

    [Fact]
    public void Load_PublicKeyFile_PinsThatKeyWithThresholdOne()
    {
        _fileSystem.AddFile("/keys/release.pub", new MockFileData(_a.ExportPublicKeyFile()));

        TrustRoot trust = TrustRoot.Load(_fileSystem, "/keys/release.pub");

        trust.ReleaseRole.Threshold.Should().Be(1);
        trust.ReleaseRole.KeyIds.Count.Should().Be(1);
        trust.ReleaseRole.TryGetKey(_a.KeyId, false, out TrustedKey key).Should().BeTrue();
        key.PublicKey.Should().Equal(_a.PublicKey);
        trust.ReleaseRole.TryGetKey(_b.KeyId, false, out _).Should().BeFalse();
    }

    [Fact]
    public void Load_TrustFileTwoOfThree_PinsAllKeysWithThreshold()
    {
        _fileSystem.AddFile(TrustPath, new MockFileData(TrustFileJson.Build(2, _a, _b, _c)));

        TrustRoot trust = TrustRoot.Load(_fileSystem, TrustPath);

        trust.ReleaseRole.Threshold.Should().Be(2);
        trust.ReleaseRole.KeyIds.Count.Should().Be(3);
        foreach (SigningKey signer in new[] { _a, _b, _c })
        {
            trust.ReleaseRole.TryGetKey(signer.KeyId, false, out TrustedKey key).Should().BeTrue();
            key.PublicKey.Should().Equal(signer.PublicKey);
        }
    }

    [Fact]
    public void Load_TrustFileWithSchemaNotFirst_IsAccepted()
    {
        string json = $"{{\"threshold\":1,\"keys\":[{{\"keyId\":\"{_a.KeyId}\",\"publicKey\":\"{Convert.ToBase64String(_a.PublicKey)}\"}}],\"schema\":\"secure-update/trust/v1\"}}";
        _fileSystem.AddFile(TrustPath, new MockFileData(json));

        TrustRoot.Load(_fileSystem, TrustPath).ReleaseRole.Threshold.Should().Be(1);
    }

    [Theory]
    [InlineData("threshold-zero", "threshold 0 is not between")]
    [InlineData("threshold-negative", "threshold -1 is not between")]
    [InlineData("threshold-above-keys", "threshold 4 is not between")]
    [InlineData("duplicate-key", "is listed twice")]
    [InlineData("no-keys", "pins 1 to 64 keys")]
    [InlineData("too-many-keys", "pins 1 to 64 keys")]
    [InlineData("key-id-of-other-key", "does not match its public key")]
    [InlineData("key-id-uppercase", "does not match its public key")]
    [InlineData("identity-point-key", "not a valid Ed25519 point")]
    [InlineData("small-order-point-key", "not a valid Ed25519 point")]
    [InlineData("key-31-bytes", "not 32 bytes of base64")]
    [InlineData("key-33-bytes", "not 32 bytes of base64")]
    [InlineData("key-not-base64", "not 32 bytes of base64")]
    [InlineData("unknown-schema", "neither a public key file nor a trust file")]
    [InlineData("schema-not-string", "neither a public key file nor a trust file")]
    [InlineData("json-array", "neither a public key file nor a trust file")]
    [InlineData("not-json", "it is not JSON")]
    [InlineData("unknown-member", null)]
    [InlineData("unknown-key-member", null)]
    [InlineData("duplicate-property", null)]
    [InlineData("duplicate-schema", null)]
    [InlineData("missing-threshold", null)]
    [InlineData("null-keys", null)]
    [InlineData("trailing-comma", null)]
    [InlineData("comment", null)]
    [InlineData("pub-wrong-algorithm", "is not supported")]
    [InlineData("pub-identity-point", "not a valid Ed25519 point")]
    [InlineData("pub-key-id-mismatch", "does not match its public key")]
    [InlineData("pub-unknown-member", null)]
    public void Load_InvalidTrustFile_ThrowsConfigurationException(string defect, string? reason)
    {
        _fileSystem.AddFile(TrustPath, new MockFileData(BuildDefective(defect)));

        Action load = () => TrustRoot.Load(_fileSystem, TrustPath);

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Stage.Should().Be(UpdateStage.Config);
        ex.Message.Should().Contain(TrustPath);
        if (reason is not null)
        {
            ex.Message.Should().Contain(reason);
        }
    }

    [Fact]
    public void Load_NullKeyEntry_ThrowsConfigurationException()
    {
        // "keys": [ {...}, null ]: the nullable annotations of the document do not reach list elements.
        _fileSystem.AddFile(TrustPath, new MockFileData(BuildDefective("null-key-entry")));

        Action load = () => TrustRoot.Load(_fileSystem, TrustPath);

        load.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
    }

    [Fact]
    public void Parse_SmallOrderKeyWithMatchingId_ThrowsFormatException()
    {
        // The identity point (y = 1) has order 1: every signature "verifies" under some implementations.
        byte[] identity = new byte[32];
        identity[0] = 0x01;

        Action parse = () => TrustRoot.Parse(TrustFileJson.Build(1, [(KeyIds.Compute(identity), Convert.ToBase64String(identity))]));

        parse.Should().Throw<FormatException>().WithMessage("*not a valid Ed25519 point*");
    }

    [Fact]
    public void Load_MissingFile_ThrowsConfigurationException()
    {
        Action load = () => TrustRoot.Load(_fileSystem, "/keys/absent.pub");

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Stage.Should().Be(UpdateStage.Config);
        ex.Message.Should().Contain("does not exist");
    }

    [Fact]
    public void Load_FileOverSixtyFourKiB_ThrowsConfigurationException()
    {
        // A valid trust file padded with whitespace: only its size can be refused.
        byte[] valid = TrustFileJson.Build(1, _a);
        byte[] padded = [.. valid, .. Enumerable.Repeat((byte)' ', TrustRoot.MaxFileBytes + 1 - valid.Length)];
        _fileSystem.AddFile(TrustPath, new MockFileData(padded));

        Action load = () => TrustRoot.Load(_fileSystem, TrustPath);

        ConfigurationException ex = load.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Message.Should().Contain("larger than 65536 bytes");
    }

    [Fact]
    public void Load_FileOfExactlySixtyFourKiB_IsAccepted()
    {
        byte[] valid = TrustFileJson.Build(1, _a);
        byte[] padded = [.. valid, .. Enumerable.Repeat((byte)' ', TrustRoot.MaxFileBytes - valid.Length)];
        _fileSystem.AddFile(TrustPath, new MockFileData(padded));

        TrustRoot.Load(_fileSystem, TrustPath).ReleaseRole.KeyIds.Count.Should().Be(1);
    }

    private byte[] BuildDefective(string defect)
    {
        string pubA = Convert.ToBase64String(_a.PublicKey);
        byte[] identity = new byte[32];
        identity[0] = 0x01;

        // A point of order 8, from libsodium's list of small-order encodings.
        byte[] orderEight = Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
        string good = $"{{\"keyId\":\"{_a.KeyId}\",\"publicKey\":\"{pubA}\"}}";
        return defect switch
        {
            "threshold-zero" => TrustFileJson.Build(0, _a, _b),
            "threshold-negative" => TrustFileJson.Build(-1, _a),
            "threshold-above-keys" => TrustFileJson.Build(4, _a, _b, _c),
            "duplicate-key" => TrustFileJson.Build(1, _a, _b, _a),
            "no-keys" => TrustFileJson.Build(1, Array.Empty<SigningKey>()),
            "too-many-keys" => TooManyKeys(),
            "key-id-of-other-key" => TrustFileJson.Build(1, [(_b.KeyId, pubA)]),
            "key-id-uppercase" => TrustFileJson.Build(1, [(_a.KeyId.ToUpperInvariant(), pubA)]),
            "identity-point-key" => TrustFileJson.Build(1, [(KeyIds.Compute(identity), Convert.ToBase64String(identity))]),
            "small-order-point-key" => TrustFileJson.Build(1, [(KeyIds.Compute(orderEight), Convert.ToBase64String(orderEight))]),
            "key-31-bytes" => TrustFileJson.Build(1, [(_a.KeyId, Convert.ToBase64String(_a.PublicKey.AsSpan(0, 31)))]),
            "key-33-bytes" => TrustFileJson.Build(1, [(_a.KeyId, Convert.ToBase64String([.. _a.PublicKey, 0]))]),
            "key-not-base64" => TrustFileJson.Build(1, [(_a.KeyId, "not base64 at all!")]),
            "unknown-schema" => Utf8($"{{\"schema\":\"secure-update/trust/v2\",\"threshold\":1,\"keys\":[{good}]}}"),
            "schema-not-string" => Utf8($"{{\"schema\":1,\"threshold\":1,\"keys\":[{good}]}}"),
            "json-array" => Utf8($"[{good}]"),
            "not-json" => Utf8("{ this is not json"),
            "unknown-member" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",\"threshold\":1,\"keys\":[{good}],\"comment\":\"x\"}}"),
            "unknown-key-member" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",\"threshold\":1,\"keys\":[{{\"keyId\":\"{_a.KeyId}\",\"publicKey\":\"{pubA}\",\"name\":\"a\"}}]}}"),
            "duplicate-property" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",\"threshold\":1,\"threshold\":1,\"keys\":[{good}]}}"),
            "duplicate-schema" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",\"schema\":\"secure-update/trust/v1\",\"threshold\":1,\"keys\":[{good}]}}"),
            "missing-threshold" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",\"keys\":[{good}]}}"),
            "null-keys" => Utf8("{\"schema\":\"secure-update/trust/v1\",\"threshold\":1,\"keys\":null}"),
            "null-key-entry" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",\"threshold\":1,\"keys\":[{good},null]}}"),
            "trailing-comma" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",\"threshold\":1,\"keys\":[{good},]}}"),
            "comment" => Utf8($"{{\"schema\":\"secure-update/trust/v1\",/* pinned */\"threshold\":1,\"keys\":[{good}]}}"),
            "pub-wrong-algorithm" => TrustFileJson.PublicKeyFile(_a.KeyId, pubA, algorithm: "rsa"),
            "pub-identity-point" => TrustFileJson.PublicKeyFile(KeyIds.Compute(identity), Convert.ToBase64String(identity)),
            "pub-key-id-mismatch" => TrustFileJson.PublicKeyFile(_b.KeyId, pubA),
            "pub-unknown-member" => Utf8($"{{\"schema\":\"secure-update/public-key/v1\",\"algorithm\":\"ed25519\",\"keyId\":\"{_a.KeyId}\",\"publicKey\":\"{pubA}\",\"owner\":\"me\"}}"),
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, "unknown defect"),
        };
    }

    private static byte[] TooManyKeys()
    {
        var keys = new List<SigningKey>();
        try
        {
            for (int i = 0; i < TrustRoot.MaxKeys + 1; i++)
            {
                keys.Add(SigningKey.Generate());
            }

            return TrustFileJson.Build(1, [.. keys]);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
