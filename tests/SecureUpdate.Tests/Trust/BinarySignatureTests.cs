using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Trust;

/// <summary>The library's embedded-signature check, the same one verify-binary runs: a result on success, a VerificationException otherwise.</summary>
public sealed class BinarySignatureTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ForgedKey _a = ForgedKey.Create();
    private readonly ForgedKey _b = ForgedKey.Create();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Verify_SignedByTheThreshold_ReturnsKeysAndPayloadLength()
    {
        var file = Signed([1, 2, 3, 4, 5], "a", "b");
        var trust = TrustRoot.Parse(TrustFileJson.Build(2, [(_a.KeyId, _a.PublicKeyBase64), (_b.KeyId, _b.PublicKeyBase64)]));

        var result = BinarySignature.Verify(file, trust);

        result.File.Should().Be(file);
        result.PayloadBytes.Should().Be(5);
        result.KeyIds.Should().BeEquivalentTo([_a.KeyId, _b.KeyId]);
    }

    [Fact]
    public void Verify_EmptyPayload_Verifies()
    {
        var file = Signed([], "a");

        BinarySignature.Verify(file, Trust(_a)).PayloadBytes.Should().Be(0);
    }

    [Fact]
    public void Verify_ChangedByte_ThrowsVerificationException()
    {
        var file = Signed([1, 2, 3, 4, 5], "a");
        var bytes = File.ReadAllBytes(file);
        bytes[2] ^= 0x80;
        File.WriteAllBytes(file, bytes);

        var verify = () => BinarySignature.Verify(file, Trust(_a));

        verify.Should().Throw<VerificationException>().Which.Code.Should().Be(ErrorCode.HashMismatch);
    }

    [Fact]
    public void Verify_SignatureUnderAnotherDomain_IsNotCounted()
    {
        // A trailer whose only signature is over the same digest but for the manifest domain: never valid for a binary.
        byte[] payload = [1, 2, 3];
        var digest = SHA256.HashData(payload);
        using var key = SigningKey.Generate();
        var block = SignatureFileJson.Build(digest, key.Sign(DocumentType.Manifest, digest));
        var footer = new BinaryTrailerFooter((ulong)payload.Length, (uint)block.Length).ToBytes();
        var file = _temp.Combine("replayed");
        File.WriteAllBytes(file, [.. payload, .. block, .. footer]);

        var verify = () => BinarySignature.Verify(file, TrustRoot.Parse(TrustFileJson.Build(1, key)));

        verify.Should().Throw<VerificationException>().WithMessage("*0 valid of the 1 required*");
    }

    [Fact]
    public void Verify_Missing_ThrowsConfigurationException()
    {
        var verify = () => BinarySignature.Verify(_temp.Combine("missing"), Trust(_a));

        verify.Should().Throw<ConfigurationException>().WithMessage("*does not exist*");
    }

    private static TrustRoot Trust(ForgedKey key) => TrustRoot.Parse(TrustFileJson.Build(1, [(key.KeyId, key.PublicKeyBase64)]));

    private string Signed(byte[] contents, params string[] keyNames)
    {
        var file = _temp.Combine("payload");
        File.WriteAllBytes(file, contents);
        var keyFiles = keyNames.Select(name =>
        {
            var path = _temp.Combine(name + ".key");
            (name == "a" ? _a : _b).WritePrivateKeyFile(path);
            return path;
        }).ToList();
        new BinarySigner(new FileSystem()).Sign(file, keyFiles);
        return file;
    }
}
