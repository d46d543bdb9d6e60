using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Embedded signatures, run as processes: <c>sign-binary</c> appends (or replaces) a signed trailer and the
/// file still runs; <c>verify-binary</c> exits 0 only when the trust root's release threshold is met, and
/// refuses (exit 3) every changed byte, cut, appended, forged or borrowed trailer and untrusted key,
/// without changing the file.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BinarySignatureCommandTests : IDisposable
{
    private const int FooterSize = 24;

    private readonly TempFolder _temp = new();
    private readonly ForgedKey _a = ForgedKey.Create();
    private readonly ForgedKey _b = ForgedKey.Create();
    private readonly ForgedKey _outsider = ForgedKey.Create();

    public BinarySignatureCommandTests()
    {
        var keys = _temp.CreateFolder("keys");
        foreach (var (name, key) in new[] { ("a", _a), ("b", _b), ("outsider", _outsider) })
        {
            key.WritePrivateKeyFile(Path.Combine(keys, name + ".key"));
            key.WritePublicKeyFile(Path.Combine(keys, name + ".pub"));
        }

        File.WriteAllBytes(TwoOfTwo, TrustFileJson.Build(2, [(_a.KeyId, _a.PublicKeyBase64), (_b.KeyId, _b.PublicKeyBase64)]));
    }

    private string KeyA => _temp.Combine("keys", "a.key");

    private string KeyB => _temp.Combine("keys", "b.key");

    private string TrustA => _temp.Combine("keys", "a.pub");

    private string TwoOfTwo => _temp.Combine("keys", "two-of-two.json");

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _outsider.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task SignBinary_CopyOfAnElfExecutable_VerifiesAndStillRuns()
    {
        var file = CopyOf("/bin/echo", "echo");
        var original = File.ReadAllBytes(file);
        var mode = File.GetUnixFileMode(file);

        var signed = (await CliRunner.RunAsync("sign-binary", "--key", KeyA, file, "--json")).ShouldExitWith(0).ShouldHaveNoStackTrace();

        signed.JsonString("outcome").Should().Be("signed");
        signed.JsonString("file").Should().Be(file);
        signed.Json().GetProperty("keyIds").EnumerateArray().Select(k => k.GetString()).Should().Equal(_a.KeyId);
        signed.Json().GetProperty("payloadBytes").GetInt64().Should().Be(original.Length);
        var bytes = File.ReadAllBytes(file);
        bytes.AsSpan(0, original.Length).SequenceEqual(original).Should().BeTrue("signing only appends a trailer");
        File.GetUnixFileMode(file).Should().Be(mode, "the signed file keeps its mode, executable bit included");
        Run(file, "still runs").Should().Be("still runs\n", "an ELF loader ignores the bytes after the image");

        var verified = (await CliRunner.RunAsync("verify-binary", "--trust", TrustA, file, "--json")).ShouldExitWith(0);
        verified.JsonString("outcome").Should().Be("verified");
        verified.Json().GetProperty("keyIds").EnumerateArray().Select(k => k.GetString()).Should().Equal(_a.KeyId);
        verified.Json().GetProperty("payloadBytes").GetInt64().Should().Be(original.Length);
    }

    [Fact]
    public async Task SignBinary_SignedFileSignedAgain_ReplacesTheTrailer()
    {
        var file = CopyOf("/bin/true", "true");
        var original = File.ReadAllBytes(file);
        await SignAsync(file, KeyA);

        var again = (await CliRunner.RunAsync("sign-binary", "--key", KeyB, file, "--json")).ShouldExitWith(0);

        again.Json().GetProperty("payloadBytes").GetInt64().Should().Be(original.Length, "the old trailer is stripped, not signed over");
        var bytes = File.ReadAllBytes(file);
        CountOf(bytes, "SUBINSIG"u8.ToArray()).Should().Be(1, "a file carries one trailer");
        bytes.AsSpan(0, original.Length).SequenceEqual(original).Should().BeTrue();
        (await CliRunner.RunAsync("verify-binary", "--trust", _temp.Combine("keys", "b.pub"), file)).ShouldExitWith(0);
        (await CliRunner.RunAsync("verify-binary", "--trust", TrustA, file)).ShouldExitWith(3);
        Run(file).Should().BeEmpty("the re-signed file still runs");
    }

    [Fact]
    public async Task VerifyBinary_TwoOfTwo_MetByTwoKeysNotByOne()
    {
        var both = CopyOf("/bin/true", "both");
        await SignAsync(both, KeyA, KeyB);
        var one = CopyOf("/bin/true", "one");
        await SignAsync(one, KeyA);

        (await CliRunner.RunAsync("verify-binary", "--trust", TwoOfTwo, both)).ShouldExitWith(0);
        await VerifyRefusedAsync(one, TwoOfTwo, "not signed by enough trusted keys: 1 valid of the 2 required");
    }

    [Fact]
    public async Task VerifyBinary_OneKeysSignatureTwice_DoesNotMeetTwoOfTwo()
    {
        var file = CopyOf("/bin/true", "twice");
        await SignAsync(file, KeyA);
        var (payload, block) = Split(File.ReadAllBytes(file));
        var envelope = JsonNode.Parse(block)!.AsObject();
        var signatures = envelope["signatures"]!.AsArray();
        signatures.Add(signatures[0]!.DeepClone());
        File.WriteAllBytes(file, Assemble(payload, Encoding.UTF8.GetBytes(envelope.ToJsonString())));

        await VerifyRefusedAsync(file, TwoOfTwo, "1 valid of the 2 required");
    }

    [Fact]
    public async Task SignBinary_SameKeyTwice_RefusedAndFileUnchanged()
    {
        var file = CopyOf("/bin/true", "true");
        var before = TargetSnapshot.Capture(Path.GetDirectoryName(file)!);

        var result = await CliRunner.RunAsync("sign-binary", "--key", KeyA, "--key", KeyA, file);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"Key {_a.KeyId} is given twice");
        before.ShouldBeUnchanged("nothing is signed when a key is given twice");
    }

    [Theory]
    [InlineData("payload-first", "are for other bytes")]
    [InlineData("payload-middle", "are for other bytes")]
    [InlineData("payload-last", "are for other bytes")]
    [InlineData("signature", "0 valid of the 1 required")]
    [InlineData("block", "is cut or damaged: its signature block is not valid")]
    [InlineData("footer-payload-length", "do not add up")]
    [InlineData("footer-block-length", "do not add up")]
    [InlineData("footer-version", "format version is 2")]
    [InlineData("footer-magic", "carries no signature trailer")]
    [InlineData("absurd-payload-length", "do not add up")]
    [InlineData("absurd-block-length", "is not between 1 and 65536 bytes")]
    [InlineData("truncate-by-one", "carries no signature trailer")]
    [InlineData("truncate-to-footer", "do not add up")]
    [InlineData("truncate-mid-trailer", "carries no signature trailer")]
    [InlineData("cut-inside-block", "is cut or damaged")]
    [InlineData("append-byte", "carries no signature trailer")]
    [InlineData("append-footer", "do not add up")]
    public async Task VerifyBinary_TamperedFile_RefusedWithoutChangingIt(string tamper, string message)
    {
        var file = CopyOf("/bin/true", "true");
        await SignAsync(file, KeyA);
        var bytes = File.ReadAllBytes(file);
        var (payload, block) = Split(bytes);
        var length = bytes.Length;
        byte[] tampered = tamper switch
        {
            "payload-first" => Flip(bytes, 0),
            "payload-middle" => Flip(bytes, payload.Length / 2),
            "payload-last" => Flip(bytes, payload.Length - 1),
            "signature" => FlipSignature(payload, block),
            "block" => Flip(bytes, payload.Length),
            "footer-payload-length" => Flip(bytes, length - FooterSize),
            "footer-block-length" => Flip(bytes, length - FooterSize + 8),
            "footer-version" => WithByte(bytes, length - FooterSize + 12, 2),
            "footer-magic" => Flip(bytes, length - 1),
            "absurd-payload-length" => WithFooterField(bytes, 0, ulong.MaxValue),
            "absurd-block-length" => WithFooterField(bytes, 8, uint.MaxValue),
            "truncate-by-one" => bytes[..^1],
            "truncate-to-footer" => bytes[^FooterSize..],
            "truncate-mid-trailer" => bytes[..(payload.Length + (block.Length / 2))],
            "cut-inside-block" => [.. bytes[..(payload.Length + 10)], .. bytes[(payload.Length + 20)..]],
            "append-byte" => [.. bytes, 0],
            "append-footer" => [.. bytes, .. bytes[^FooterSize..]],
            _ => throw new ArgumentOutOfRangeException(nameof(tamper)),
        };
        File.WriteAllBytes(file, tampered);

        await VerifyRefusedAsync(file, TrustA, message);
    }

    [Fact]
    public async Task VerifyBinary_TrailerFromAnotherSignedFile_Refused()
    {
        var file = CopyOf("/bin/true", "true");
        var other = CopyOf("/bin/echo", "echo");
        await SignAsync(other, KeyA);
        var payload = File.ReadAllBytes(file);
        var (_, otherBlock) = Split(File.ReadAllBytes(other));

        // The borrowed trailer, its footer made to add up: its signatures are over the other file's bytes.
        File.WriteAllBytes(file, Assemble(payload, otherBlock));
        await VerifyRefusedAsync(file, TrustA, "are for other bytes");

        // Its digest rewritten to this file's: the signatures still sign the other file's digest.
        var envelope = JsonNode.Parse(otherBlock)!.AsObject();
        envelope["sha256"] = Convert.ToHexStringLower(SHA256.HashData(payload));
        File.WriteAllBytes(file, Assemble(payload, Encoding.UTF8.GetBytes(envelope.ToJsonString())));
        await VerifyRefusedAsync(file, TrustA, "0 valid of the 1 required");
    }

    [Fact]
    public async Task VerifyBinary_SignedByAnUntrustedKey_Refused()
    {
        var file = CopyOf("/bin/true", "true");
        await SignAsync(file, KeyA);

        await VerifyRefusedAsync(file, _temp.Combine("keys", "outsider.pub"), $"is signed only by keys the trust root does not hold: {_a.KeyId}");
    }

    [Fact]
    public async Task VerifyBinary_UnsignedFile_RefusedAsHavingNoTrailer()
    {
        var file = CopyOf("/bin/true", "true");

        await VerifyRefusedAsync(file, TrustA, "carries no signature trailer");
    }

    [Fact]
    public async Task VerifyBinary_NamedPipe_UsageErrorWithoutHanging()
    {
        var folder = _temp.CreateFolder("fifo");
        var fifo = Path.Combine(folder, "pipe");
        using var node = SpecialFiles.Make(fifo, SpecialFiles.NamedPipe);
        var before = TargetSnapshot.Capture(folder);

        var verify = await CliRunner.RunAsync("verify-binary", "--trust", TrustA, fifo);
        var sign = await CliRunner.RunAsync("sign-binary", "--key", KeyA, fifo);

        verify.ShouldExitWith(2).ShouldReportFailureClearly();
        verify.Stderr.Should().Contain(SpecialFiles.Described(SpecialFiles.NamedPipe));
        sign.ShouldExitWith(2).ShouldReportFailureClearly();
        sign.Stderr.Should().Contain(SpecialFiles.Described(SpecialFiles.NamedPipe));
        before.ShouldBeUnchanged("a named pipe is refused before it is opened for reading");
    }

    [Fact]
    public async Task SignBinary_DamagedTrailerOrSymlink_RefusedAndUnchanged()
    {
        var file = CopyOf("/bin/true", "true");
        await SignAsync(file, KeyA);
        File.WriteAllBytes(file, WithByte(File.ReadAllBytes(file), (int)new FileInfo(file).Length - FooterSize + 12, 2));
        var link = Path.Combine(Path.GetDirectoryName(file)!, "link");
        File.CreateSymbolicLink(link, file);
        var before = TargetSnapshot.Capture(Path.GetDirectoryName(file)!);

        var damaged = await CliRunner.RunAsync("sign-binary", "--key", KeyA, file);
        var symlink = await CliRunner.RunAsync("sign-binary", "--key", KeyA, link);

        damaged.ShouldExitWith(2).ShouldReportFailureClearly();
        damaged.Stderr.Should().Contain("ends with a damaged signature trailer").And.Contain("refusing to sign it");
        symlink.ShouldExitWith(2).ShouldReportFailureClearly();
        symlink.Stderr.Should().Contain("is a symbolic link");
        before.ShouldBeUnchanged("a file that cannot be signed is left exactly as it was");
    }

    [Fact]
    public async Task SignBinary_EncryptedKey_Verifies()
    {
        var keys = _temp.Combine("encrypted");
        var passphrase = new Dictionary<string, string?> { ["SECURE_UPDATE_KEY_PASSPHRASE"] = "correct horse battery staple" };
        (await CliRunner.RunAsync(passphrase, "keygen", "--out", keys, "--name", "ops", "--encrypt")).ShouldExitWith(0);
        var file = CopyOf("/bin/true", "true");

        (await CliRunner.RunAsync(passphrase, "sign-binary", "--key", Path.Combine(keys, "ops.key"), file)).ShouldExitWith(0);

        (await CliRunner.RunAsync("verify-binary", "--trust", Path.Combine(keys, "ops.pub"), file)).ShouldExitWith(0);
    }

    private static byte[] Flip(byte[] bytes, int index) => WithByte(bytes, index, (byte)(bytes[index] ^ 0x01));

    private static byte[] WithByte(byte[] bytes, int index, byte value)
    {
        var copy = bytes.ToArray();
        copy[index] = value;
        return copy;
    }

    private static byte[] WithFooterField(byte[] bytes, int offset, ulong value)
    {
        var copy = bytes.ToArray();
        var field = copy.AsSpan(copy.Length - FooterSize + offset);
        if (offset == 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(field, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)value);
        }

        return copy;
    }

    /// <summary>Flips one bit of the first signature, the trailer otherwise well-formed and its footer adding up.</summary>
    private static byte[] FlipSignature(byte[] payload, byte[] block)
    {
        var envelope = JsonNode.Parse(block)!.AsObject();
        var entry = envelope["signatures"]![0]!.AsObject();
        var signature = Convert.FromBase64String(entry["signature"]!.GetValue<string>());
        signature[10] ^= 0x01;
        entry["signature"] = Convert.ToBase64String(signature);
        return Assemble(payload, Encoding.UTF8.GetBytes(envelope.ToJsonString()));
    }

    /// <summary>The payload and the signature block of a signed file, read from its footer.</summary>
    private static (byte[] Payload, byte[] Block) Split(byte[] signed)
    {
        var footer = signed.AsSpan(signed.Length - FooterSize);
        var payload = (int)BinaryPrimitives.ReadUInt64LittleEndian(footer);
        var block = (int)BinaryPrimitives.ReadUInt32LittleEndian(footer[8..]);
        return (signed[..payload], signed[payload..(payload + block)]);
    }

    /// <summary>A signed file as docs/formats.md lays it out: payload, signature block, 24-byte footer.</summary>
    private static byte[] Assemble(byte[] payload, byte[] block)
    {
        var footer = new byte[FooterSize];
        BinaryPrimitives.WriteUInt64LittleEndian(footer, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(footer.AsSpan(8), (uint)block.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(footer.AsSpan(12), 1);
        "SUBINSIG"u8.CopyTo(footer.AsSpan(16));
        return [.. payload, .. block, .. footer];
    }

    private static int CountOf(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var span = haystack.AsSpan(); span.IndexOf(needle) is var at and >= 0; span = span[(at + needle.Length)..])
        {
            count++;
        }

        return count;
    }

    private static string Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, "the signed executable runs as before");
        return output;
    }

    /// <summary>A copy of a real executable in a folder of its own (so a snapshot of the folder covers exactly it).</summary>
    private string CopyOf(string source, string name)
    {
        var file = Path.Combine(_temp.CreateFolder("files", name), name);
        File.Copy(source, file);
        return file;
    }

    private static async Task SignAsync(string file, params string[] keys) =>
        (await CliRunner.RunAsync(["sign-binary", .. keys.SelectMany(k => new[] { "--key", k }), file])).ShouldExitWith(0);

    private static async Task VerifyRefusedAsync(string file, string trust, string message)
    {
        var before = TargetSnapshot.Capture(Path.GetDirectoryName(file)!);

        var result = await CliRunner.RunAsync("verify-binary", "--trust", trust, file, "--json");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        result.JsonString("message").Should().Contain(message);
        before.ShouldBeUnchanged("verify-binary only reads");
    }
}
