using System.Text;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Trust;

/// <summary>Trust root documents and one rotation step, verified in the documented order (formats.md, "Trust roots").</summary>
public sealed class TrustChainTests : IDisposable
{
    private readonly ForgedKey _root1 = ForgedKey.Create();
    private readonly ForgedKey _root2 = ForgedKey.Create();
    private readonly ForgedKey _release1 = ForgedKey.Create();
    private readonly ForgedKey _release2 = ForgedKey.Create();

    public void Dispose()
    {
        _root1.Dispose();
        _root2.Dispose();
        _release1.Dispose();
        _release2.Dispose();
    }

    [Fact]
    public void ParseRootDocument_Valid_ReadsVersionExpiryRolesAndVerifyOnlyKeys()
    {
        var expires = new DateTimeOffset(2027, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var text = FeedForger.RootJson(3, expires, new ForgedRole(2, _root1, _root2), new ForgedRole(1, _release2), _release1);

        var root = TrustRoot.ParseRootDocument(Encoding.UTF8.GetBytes(text));

        root.Version.Should().Be(3);
        root.Expires.Should().Be(expires);
        root.RootRole.Threshold.Should().Be(2);
        root.RootRole.KeyIds.Should().BeEquivalentTo(_root1.KeyId, _root2.KeyId);
        root.ReleaseRole.KeyIds.Should().Equal(_release2.KeyId);
        root.ReleaseRole.VerifyOnlyKeyIds.Should().Equal(_release1.KeyId);
        root.ReleaseRole.TryGetKey(_release1.KeyId, includeVerifyOnly: false, out _).Should().BeFalse("a retired key signs nothing new");
        root.ReleaseRole.TryGetKey(_release1.KeyId, includeVerifyOnly: true, out _).Should().BeTrue("a retired key still verifies what is installed");
    }

    public static TheoryData<string, string> InvalidRoots => new()
    {
        { "version 0", "version is not 1 or more" },
        { "version whose next would overflow", "version is above 2147483646" },
        { "root threshold above its keys", "threshold 2 is not between 1" },
        { "role names an unlisted key", "names a key the root does not list" },
        { "verify-only key also signs", "both a signing and a verify-only key" },
        { "unknown member", "padding" },
    };

    [Theory]
    [MemberData(nameof(InvalidRoots))]
    public void ParseRootDocument_Invalid_IsRefused(string defect, string reason)
    {
        var text = defect switch
        {
            "version 0" => FeedForger.RootJson(0, DateTimeOffset.UtcNow.AddDays(1), new ForgedRole(1, _root1), new ForgedRole(1, _release1)),
            "version whose next would overflow" => FeedForger.RootJson(int.MaxValue, DateTimeOffset.UtcNow.AddDays(1), new ForgedRole(1, _root1), new ForgedRole(1, _release1)),
            "root threshold above its keys" => FeedForger.RootJson(1, DateTimeOffset.UtcNow.AddDays(1), new ForgedRole(2, _root1), new ForgedRole(1, _release1)),
            "role names an unlisted key" => FeedForger.RootJson(1, DateTimeOffset.UtcNow.AddDays(1), new ForgedRole(1, _root1), new ForgedRole(1, _release1))
                .Replace($"\"keyId\": \"{_release1.KeyId}\"", $"\"keyId\": \"{_release2.KeyId}\"", StringComparison.Ordinal)
                .Replace($"\"publicKey\": \"{_release1.PublicKeyBase64}\"", $"\"publicKey\": \"{_release2.PublicKeyBase64}\"", StringComparison.Ordinal),
            "verify-only key also signs" => FeedForger.RootJson(1, DateTimeOffset.UtcNow.AddDays(1), new ForgedRole(1, _root1), new ForgedRole(1, _release1), _release1),
            _ => FeedForger.RootJson(1, DateTimeOffset.UtcNow.AddDays(1), new ForgedRole(1, _root1), new ForgedRole(1, _release1)).TrimEnd().TrimEnd('}') + ", \"padding\": 1}",
        };

        var parse = () => TrustRoot.ParseRootDocument(Encoding.UTF8.GetBytes(text));

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(reason);
    }

    [Fact]
    public void VerifyNext_SignedByBothRootRoles_ReturnsTheNextRoot()
    {
        var first = Root(1, _root1, _release1);
        var next = Document(2, new ForgedRole(1, _root2), new ForgedRole(1, _release2));

        var root = TrustChain.VerifyNext(first, next, Signatures(next, _root1, _root2));

        root.Version.Should().Be(2);
        root.ReleaseRole.KeyIds.Should().Equal(_release2.KeyId);
    }

    [Theory]
    [InlineData("old only")]
    [InlineData("new only")]
    [InlineData("release key")]
    [InlineData("none")]
    public void VerifyNext_MissingEitherRootRole_IsRefusedAsASignatureFailure(string signers)
    {
        var first = Root(1, _root1, _release1);
        var next = Document(2, new ForgedRole(1, _root2), new ForgedRole(1, _release2));
        ForgedKey[] keys = signers switch
        {
            "old only" => [_root1],
            "new only" => [_root2],
            "release key" => [_release1, _release2],
            _ => [],
        };

        var verify = () => TrustChain.VerifyNext(first, next, Signatures(next, keys));

        var refused = verify.Should().Throw<VerificationException>().Which;
        refused.Code.Should().Be(ErrorCode.Signature);
        refused.Stage.Should().Be(UpdateStage.Trust);
    }

    [Fact]
    public void VerifyNext_ReleaseSignatureOverTheSameDigest_DoesNotCountForTheRootRole()
    {
        // The same key in both roles, signing under the manifest domain: not a trust root signature.
        var first = Root(1, _root1, _release1);
        var next = Document(2, new ForgedRole(1, _root1), new ForgedRole(1, _release1));
        var envelope = Encoding.UTF8.GetBytes(FeedForger.SignatureEnvelope(FeedForger.ManifestType, next, _root1));

        var verify = () => TrustChain.VerifyNext(first, next, envelope);

        verify.Should().Throw<VerificationException>().Which.Code.Should().Be(ErrorCode.Signature);
    }

    [Fact]
    public void StartingRoot_PublicKeyFile_IsVersionZeroWithTheKeyInBothRoles()
    {
        var root = TrustRoot.Parse(TrustFileJson.PublicKeyFile(_release1.KeyId, _release1.PublicKeyBase64));

        root.Version.Should().Be(0);
        root.Expires.Should().BeNull();
        root.RootRole.KeyIds.Should().Equal(_release1.KeyId);
        root.ReleaseRole.KeyIds.Should().Equal(_release1.KeyId);
    }

    private static TrustRoot Root(int version, ForgedKey root, ForgedKey release) =>
        TrustRoot.ParseRootDocument(Document(version, new ForgedRole(1, root), new ForgedRole(1, release)));

    private static byte[] Document(int version, ForgedRole root, ForgedRole release) =>
        Encoding.UTF8.GetBytes(FeedForger.RootJson(version, DateTimeOffset.UtcNow.AddDays(30), root, release));

    private static byte[] Signatures(byte[] document, params ForgedKey[] keys) =>
        Encoding.UTF8.GetBytes(FeedForger.SignatureEnvelope(FeedForger.TrustType, document, keys));
}
