using System.Security.Cryptography;
using System.Text;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Trust;

public sealed class DocumentVerifierTests : IDisposable
{
    private const string Template =
        "{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]}";

    private static readonly byte[] s_document = Encoding.UTF8.GetBytes(
        "{\n  \"schema\": \"secure-update/channel/v1\",\n  \"app\": \"demo\",\n  \"version\": \"1.1.0\"\n}\n");

    private static readonly byte[] s_digest = SHA256.HashData(s_document);

    private readonly SigningKey _a = SigningKey.Generate();
    private readonly SigningKey _b = SigningKey.Generate();
    private readonly SigningKey _c = SigningKey.Generate();
    private readonly SigningKey _outsider = SigningKey.Generate();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _outsider.Dispose();
    }

    [Fact]
    public void Verify_SingleTrustedKeySignature_ReturnsDocumentDigest()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        byte[] signatures = SignatureFileJson.Build(s_digest, _a.Sign(DocumentType.Channel, s_digest));

        byte[] digest = DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, signatures, UpdateStage.Channel, "channel pointer");

        digest.Should().Equal(s_digest);
    }

    [Fact]
    public void Verify_TwoOfThreeDistinctKeys_MeetsThresholdTwo()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(2, _a, _b, _c));
        byte[] signatures = SignatureFileJson.Build(s_digest, _c.Sign(DocumentType.Manifest, s_digest), _a.Sign(DocumentType.Manifest, s_digest));

        byte[] digest = DocumentVerifier.Verify(trust, DocumentType.Manifest, s_document, signatures, UpdateStage.Manifest, "manifest");

        digest.Should().Equal(s_digest);
    }

    [Fact]
    public void Verify_OneOfThreeKeysWithThresholdTwo_ThrowsSignature()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(2, _a, _b, _c));
        byte[] signatures = SignatureFileJson.Build(s_digest, _b.Sign(DocumentType.Manifest, s_digest));

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Manifest, s_document, signatures, UpdateStage.Manifest, "manifest");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Manifest);
        ex.Message.Should().Contain("1 of the 2 required");
    }

    [Fact]
    public void Verify_SameKeySignatureRepeatedTwice_DoesNotMeetThresholdTwo()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(2, _a, _b, _c));
        SignatureEntry signature = _a.Sign(DocumentType.Manifest, s_digest);
        byte[] signatures = SignatureFileJson.Build(s_digest, signature, signature);

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Manifest, s_document, signatures, UpdateStage.Manifest, "manifest");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Message.Should().Contain("1 of the 2 required");
    }

    [Fact]
    public void Verify_UntrustedKeyValidSignature_CountsNothing()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(2, _a, _b));
        byte[] signatures = SignatureFileJson.Build(s_digest, _a.Sign(DocumentType.Channel, s_digest), _outsider.Sign(DocumentType.Channel, s_digest));

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, signatures, UpdateStage.Channel, "channel pointer");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Channel);
        ex.Message.Should().Contain("1 of the 2 required");
    }

    [Fact]
    public void Verify_UntrustedKeySignatureLabelledWithTrustedKeyId_CountsNothing()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        SignatureEntry forged = _outsider.Sign(DocumentType.Channel, s_digest);
        byte[] signatures = SignatureFileJson.Build(Convert.ToHexStringLower(s_digest), [(_a.KeyId, forged.Signature)]);

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, signatures, UpdateStage.Channel, "channel pointer");

        verify.Should().Throw<VerificationException>().Which.Message.Should().Contain("0 of the 1 required");
    }

    [Theory]
    [InlineData((int)DocumentType.Manifest, (int)DocumentType.Channel)]
    [InlineData((int)DocumentType.Channel, (int)DocumentType.Manifest)]
    [InlineData((int)DocumentType.Manifest, (int)DocumentType.Trust)]
    [InlineData((int)DocumentType.Trust, (int)DocumentType.Channel)]
    public void Verify_SignatureMadeForAnotherDocumentType_IsRefused(int signedAsValue, int verifiedAsValue)
    {
        var signedAs = (DocumentType)signedAsValue;
        var verifiedAs = (DocumentType)verifiedAsValue;
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        byte[] signatures = SignatureFileJson.Build(s_digest, _a.Sign(signedAs, s_digest));

        // The same signature file is good for the type it was made for...
        DocumentVerifier.Verify(trust, signedAs, s_document, signatures, UpdateStage.Channel, "document").Should().Equal(s_digest);

        // ...and counts nothing for any other type (domain separation).
        Action verify = () => DocumentVerifier.Verify(trust, verifiedAs, s_document, signatures, UpdateStage.Channel, "document");
        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Message.Should().Contain("0 of the 1 required");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-1)]
    public void Verify_FlippedByteInDocument_ThrowsSignature(int index)
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        byte[] signatures = SignatureFileJson.Build(s_digest, _a.Sign(DocumentType.Channel, s_digest));
        byte[] altered = (byte[])s_document.Clone();
        altered[index < 0 ? altered.Length + index : index] ^= 0x01;

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, altered, signatures, UpdateStage.Channel, "channel pointer");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Channel);
        ex.Message.Should().Contain("altered");
    }

    [Fact]
    public void Verify_FlippedByteWithSha256FieldUpdated_StillThrowsSignature()
    {
        // An attacker who alters the document can rewrite the unsigned sha256 field, not the signatures.
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        byte[] altered = (byte[])s_document.Clone();
        altered[5] ^= 0x20;
        byte[] signatures = SignatureFileJson.Build(SHA256.HashData(altered), _a.Sign(DocumentType.Channel, s_digest));

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, altered, signatures, UpdateStage.Channel, "channel pointer");

        verify.Should().Throw<VerificationException>().Which.Message.Should().Contain("0 of the 1 required");
    }

    [Fact]
    public void Verify_SignatureFileNamingOtherBytes_ThrowsSignatureEvenWithValidSignatures()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        byte[] otherDigest = SHA256.HashData("other bytes"u8);
        byte[] signatures = SignatureFileJson.Build(otherDigest, _a.Sign(DocumentType.Channel, s_digest));

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, signatures, UpdateStage.Channel, "channel pointer");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Message.Should().Contain("for other bytes");
    }

    [Fact]
    public void Verify_Sha256FieldInUppercase_ThrowsSignature()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        SignatureEntry entry = _a.Sign(DocumentType.Channel, s_digest);
        byte[] signatures = SignatureFileJson.Build(Convert.ToHexString(s_digest), [(entry.KeyId, entry.Signature)]);

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, signatures, UpdateStage.Channel, "channel pointer");

        verify.Should().Throw<VerificationException>().Which.Code.Should().Be(ErrorCode.Signature);
    }

    [Fact]
    public void Verify_SignatureTemplateWithoutDefect_Verifies()
    {
        // Control for the malformed cases below: the template itself is a good signature file.
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));

        byte[] digest = DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, FillTemplate(Template), UpdateStage.Channel, "channel pointer");

        digest.Should().Equal(s_digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"secure-update/signatures/v1\"")]
    [InlineData("{\"schema\":\"secure-update/signatures/v2\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}],\"note\":\"hi\"}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\",\"extra\":true}]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\"}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":null}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":null,\"signature\":\"{SIG}\"}]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":42}]}")]
    [InlineData("{/* c */\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"},]}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}],}")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]")]
    [InlineData("{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]}{}")]
    public void Verify_MalformedSignatureFile_ThrowsSignature(string template)
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, FillTemplate(template), UpdateStage.Channel, "channel pointer");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Channel);
    }

    [Theory]
    [InlineData("[null]")]
    [InlineData("[{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"},null]")]
    [InlineData("[null,{\"keyId\":\"{KEY}\",\"signature\":\"{SIG}\"}]")]
    public void Verify_NullSignatureEntry_ThrowsSignatureNotNullReference(string signatures)
    {
        // The .sig comes from the feed before anything is trusted: a null entry must be an ordinary refusal, not a crash.
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(2, _a, _b));
        string template = "{\"schema\":\"secure-update/signatures/v1\",\"sha256\":\"{SHA}\",\"signatures\":" + signatures + "}";

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, FillTemplate(template), UpdateStage.Channel, "channel pointer");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Channel);
    }

    [Theory]
    [InlineData("!!not base64!!")]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("63")]
    [InlineData("65")]
    [InlineData("128")]
    public void Verify_BadBase64OrWrongLengthSignature_IsSkippedNotFatal(string badSignature)
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        string bad = badSignature switch
        {
            "63" => Convert.ToBase64String(new byte[63]),
            "65" => Convert.ToBase64String(new byte[65]),
            "128" => Convert.ToBase64String(new byte[128]),
            _ => badSignature,
        };
        SignatureEntry good = _a.Sign(DocumentType.Channel, s_digest);
        string hex = Convert.ToHexStringLower(s_digest);

        // Alone, the bad entry counts nothing and is reported as a signature failure, not a crash.
        byte[] onlyBad = SignatureFileJson.Build(hex, [(_a.KeyId, bad)]);
        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, onlyBad, UpdateStage.Channel, "channel pointer");
        verify.Should().Throw<VerificationException>().Which.Message.Should().Contain("0 of the 1 required");

        // Before a good entry by the same key, it is skipped and the good one still counts.
        byte[] badThenGood = SignatureFileJson.Build(hex, [(_a.KeyId, bad), (good.KeyId, good.Signature)]);
        DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, badThenGood, UpdateStage.Channel, "channel pointer").Should().Equal(s_digest);
    }

    [Fact]
    public void Verify_ValidSignatureAsSixtyFourthEntry_IsCounted()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        byte[] signatures = SignatureFileJson.Build(Convert.ToHexStringLower(s_digest), JunkThenGood(junk: DocumentVerifier.MaxSignatureEntries - 1));

        byte[] digest = DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, signatures, UpdateStage.Channel, "channel pointer");

        digest.Should().Equal(s_digest);
    }

    [Fact]
    public void Verify_ValidSignatureAfterSixtyFourEntries_IsNotLookedAt()
    {
        TrustRoot trust = TrustRoot.Parse(TrustFileJson.Build(1, _a));
        byte[] signatures = SignatureFileJson.Build(Convert.ToHexStringLower(s_digest), JunkThenGood(junk: DocumentVerifier.MaxSignatureEntries));

        Action verify = () => DocumentVerifier.Verify(trust, DocumentType.Channel, s_document, signatures, UpdateStage.Channel, "channel pointer");

        VerificationException ex = verify.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Message.Should().Contain("0 of the 1 required");
    }

    private byte[] FillTemplate(string template)
    {
        SignatureEntry entry = _a.Sign(DocumentType.Channel, s_digest);
        return Encoding.UTF8.GetBytes(template
            .Replace("{SHA}", Convert.ToHexStringLower(s_digest), StringComparison.Ordinal)
            .Replace("{KEY}", entry.KeyId, StringComparison.Ordinal)
            .Replace("{SIG}", entry.Signature, StringComparison.Ordinal));
    }

    private List<(string KeyId, string Signature)> JunkThenGood(int junk)
    {
        // Junk entries name the trusted key but carry its signature over other bytes: each one is verified and fails.
        SignatureEntry wrong = _a.Sign(DocumentType.Channel, SHA256.HashData("something else"u8));
        SignatureEntry good = _a.Sign(DocumentType.Channel, s_digest);
        var entries = Enumerable.Repeat((wrong.KeyId, wrong.Signature), junk).ToList();
        entries.Add((good.KeyId, good.Signature));
        return entries;
    }
}
