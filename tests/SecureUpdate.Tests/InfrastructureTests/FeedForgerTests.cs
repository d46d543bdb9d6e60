using System.Text;
using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.InfrastructureTests;

/// <summary>The independent signer signs what formats.md says, and its verifier notices every change.</summary>
public sealed class FeedForgerTests
{
    [Fact]
    public void SignatureEnvelope_VerifiesOnlyForTheSameTypeBytesAndKey()
    {
        using var key = ForgedKey.Create();
        using var other = ForgedKey.Create();
        var document = Encoding.UTF8.GetBytes("{\"schema\":\"x\"}\n");

        var envelope = FeedForger.SignatureEnvelope(FeedForger.ManifestType, document, key);

        FeedForger.VerifyEnvelope(FeedForger.ManifestType, document, envelope, key.PublicKey).Should().BeTrue();
        FeedForger.VerifyEnvelope(FeedForger.ChannelType, document, envelope, key.PublicKey).Should().BeFalse();
        FeedForger.VerifyEnvelope(FeedForger.ManifestType, [.. document, (byte)' '], envelope, key.PublicKey).Should().BeFalse();
        FeedForger.VerifyEnvelope(FeedForger.ManifestType, document, envelope, other.PublicKey).Should().BeFalse();
    }

    [Fact]
    public void SignatureEnvelope_SameKeyTwice_HasTwoEntries()
    {
        using var key = ForgedKey.Create();

        var envelope = FeedForger.SignatureEnvelope(FeedForger.ChannelType, "{}"u8, key, key);

        using var parsed = JsonDocument.Parse(envelope);
        parsed.RootElement.GetProperty("signatures").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public void SigningMessage_IsPrefixAndDigest()
    {
        var message = FeedForger.SigningMessage(FeedForger.TrustType, "abc"u8);

        Encoding.ASCII.GetString(message[..^32]).Should().Be("secure-update/v1 trust\n");
        Convert.ToHexStringLower(message[^32..]).Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void Load_PrivateKeyFileItWrote_RestoresTheSameKey()
    {
        using var temp = new TempFolder();
        using var key = ForgedKey.Create();
        key.WritePrivateKeyFile(temp.Combine("k.key"));

        using var loaded = ForgedKey.Load(temp.Combine("k.key"));

        loaded.PublicKey.Should().Equal(key.PublicKey);
        loaded.KeyId.Should().Be(key.KeyId);
    }
}
