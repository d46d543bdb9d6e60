using System.Text.Json;
using System.Text;
using SecureUpdate.Documents;
using SecureUpdate.Errors;

namespace SecureUpdate.Tests.Documents;

public sealed class DocumentParserTests
{
    private const string ShaA = "0000000000000000000000000000000000000000000000000000000000000001";
    private const string ShaB = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

    private const string ManifestTemplate = """
        {
          "schema": "secure-update/manifest/v1",
          "app": "demo",
          "channel": "stable",
          "version": "1.1.0",
          "published": "2026-11-26T05:00:00Z",
          "expires": "2026-12-26T05:00:00Z",
          "files": [FILES]
        }
        """;

    private const string PointerTemplate = """
        {
          "schema": "secure-update/channel/v1",
          "app": "demo",
          "channel": "stable",
          "version": "VERSION",
          "manifestSha256": "SHA",
          "manifestSize": SIZE,
          "published": "2026-11-26T05:00:00Z",
          "expires": "2026-12-03T05:00:00Z"
        }
        """;

    private static readonly ManifestLimits s_small = new() { MaxFiles = 3, MaxTotalBytes = 100 };

    [Fact]
    public void ParseManifest_ValidDocument_ReturnsEveryField()
    {
        byte[] bytes = Manifest(Entry("bin/demo", 1234, ShaB, executable: true), Entry("README.txt", 10, ShaA, executable: false));

        ReleaseManifest manifest = DocumentParser.ParseManifest(bytes, ManifestLimits.Default);

        manifest.App.Should().Be("demo");
        manifest.Channel.Should().Be("stable");
        manifest.Version.Should().Be(SemanticVersion.Parse("1.1.0"));
        manifest.Published.Should().Be(new DateTimeOffset(2026, 11, 26, 5, 0, 0, TimeSpan.Zero));
        manifest.Expires.Should().Be(new DateTimeOffset(2026, 12, 26, 5, 0, 0, TimeSpan.Zero));
        manifest.TotalSize.Should().Be(1244);
        manifest.Files.Should().HaveCount(2);
        manifest.Files[0].Path.Should().Be("bin/demo");
        manifest.Files[0].Size.Should().Be(1234);
        manifest.Files[0].Sha256.Should().Equal(Convert.FromHexString(ShaB));
        manifest.Files[0].Sha256Hex.Should().Be(ShaB);
        manifest.Files[0].Executable.Should().BeTrue();
        manifest.Files[1].Path.Should().Be("README.txt");
        manifest.Files[1].Executable.Should().BeFalse();
    }

    [Fact]
    public void ParseManifest_NoFiles_ReturnsEmptyRelease()
    {
        ReleaseManifest manifest = DocumentParser.ParseManifest(Manifest(), ManifestLimits.Default);

        manifest.Files.Should().BeEmpty();
        manifest.TotalSize.Should().Be(0);
    }

    [Theory]
    [InlineData("\"schema\": \"secure-update/manifest/v1\",", "\"schema\": \"secure-update/manifest/v1\", \"signedBy\": \"me\",")]
    [InlineData("\"version\": \"1.1.0\",", "\"version\": \"1.1.0\", \"version\": \"1.1.0\",")]
    [InlineData("\"app\": \"demo\",", "\"app\": \"demo\", \"app\": \"evil\",")]
    [InlineData("\"expires\": \"2026-12-26T05:00:00Z\",", "")]
    [InlineData("\"published\": \"2026-11-26T05:00:00Z\",", "")]
    [InlineData("\"app\": \"demo\",", "")]
    [InlineData("\"app\": \"demo\",", "\"app\": null,")]
    [InlineData("\"expires\": \"2026-12-26T05:00:00Z\",", "\"expires\": null,")]
    [InlineData("\"expires\": \"2026-12-26T05:00:00Z\",", "\"expires\": \"next year\",")]
    [InlineData("\"files\": [FILES]", "\"files\": null")]
    [InlineData("\"files\": [FILES]", "\"files\": [FILES], \"extra\": 1")]
    [InlineData("\"app\": \"demo\",", "// comment\n\"app\": \"demo\",")]
    [InlineData("\"app\": \"demo\",", "/* comment */ \"app\": \"demo\",")]
    [InlineData("\"files\": [FILES]", "\"files\": [FILES],")]
    [InlineData("\"schema\": \"secure-update/manifest/v1\",", "\"schema\": \"secure-update/manifest/v2\",")]
    [InlineData("\"schema\": \"secure-update/manifest/v1\",", "\"schema\": \"secure-update/channel/v1\",")]
    [InlineData("\"version\": \"1.1.0\",", "\"version\": \"1.1\",")]
    [InlineData("\"version\": \"1.1.0\",", "\"version\": \"v1.1.0\",")]
    [InlineData("\"version\": \"1.1.0\",", "\"version\": 110,")]
    [InlineData("\"app\": \"demo\",", "\"app\": \"Demo\",")]
    [InlineData("\"app\": \"demo\",", "\"app\": \"../demo\",")]
    [InlineData("\"channel\": \"stable\",", "\"channel\": \"\",")]
    [InlineData("\"channel\": \"stable\",", "\"channel\": \"stable/../beta\",")]
    public void ParseManifest_StrictnessViolation_ThrowsMalformed(string find, string replace)
    {
        string template = ManifestTemplate.Replace(find, replace, StringComparison.Ordinal);
        template.Should().NotBe(ManifestTemplate, "the case must change the document");
        string text = template.Replace("[FILES]", "[" + Entry("a.txt", 1, ShaA, executable: false) + "]", StringComparison.Ordinal);

        AssertMalformed(Encoding.UTF8.GetBytes(text), UpdateStage.Manifest);
    }

    [Theory]
    [InlineData("{\"path\": \"a.txt\", \"size\": 1, \"sha256\": \"SHA\", \"executable\": false, \"mode\": 420}")]
    [InlineData("{\"path\": \"a.txt\", \"path\": \"b.txt\", \"size\": 1, \"sha256\": \"SHA\", \"executable\": false}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": 1, \"sha256\": \"SHA\"}")]
    [InlineData("{\"size\": 1, \"sha256\": \"SHA\", \"executable\": false}")]
    [InlineData("{\"path\": null, \"size\": 1, \"sha256\": \"SHA\", \"executable\": false}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": null, \"sha256\": \"SHA\", \"executable\": false}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": 1, \"sha256\": null, \"executable\": false}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": 1, \"sha256\": \"SHA\", \"executable\": null}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": \"1\", \"sha256\": \"SHA\", \"executable\": false}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": 1.5, \"sha256\": \"SHA\", \"executable\": false}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": 1, \"sha256\": \"SHA\", \"executable\": \"true\"}")]
    [InlineData("{\"path\": \"a.txt\", \"size\": 1, \"sha256\": \"SHA\", \"executable\": false,}")]
    [InlineData("\"a.txt\"")]
    [InlineData("[]")]
    public void ParseManifest_StrictnessViolationInFileEntry_ThrowsMalformed(string entry)
    {
        byte[] bytes = Manifest(entry.Replace("SHA", ShaA, StringComparison.Ordinal));

        AssertMalformed(bytes, UpdateStage.Manifest);
    }

    [Fact]
    public void ParseManifest_NullFileEntry_ThrowsMalformed()
    {
        // "files": [ null ]: the nullable annotations of the document do not reach list elements.
        byte[] bytes = Manifest(Entry("a.txt", 1, ShaA, executable: false), "null");

        AssertMalformed(bytes, UpdateStage.Manifest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void ParseManifest_NotAManifestObject_ThrowsMalformed(string text)
    {
        AssertMalformed(Encoding.UTF8.GetBytes(text), UpdateStage.Manifest);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("./a")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("C:/Windows/evil.dll")]
    [InlineData("file.txt:stream")]
    [InlineData("bin/")]
    [InlineData("")]
    [InlineData("con.txt")]
    [InlineData("dir/NUL")]
    [InlineData("trailing.")]
    [InlineData("bell\u0007")]
    [InlineData("new\nline")]
    public void ParseManifest_UnsafePath_ThrowsUnsafePath(string path)
    {
        byte[] bytes = Manifest(Entry("ok.txt", 1, ShaA, executable: false), Entry(path, 1, ShaB, executable: false));

        Action parse = () => DocumentParser.ParseManifest(bytes, ManifestLimits.Default);

        VerificationException ex = parse.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.UnsafePath);
        ex.Stage.Should().Be(UpdateStage.Manifest);
    }

    [Theory]
    [InlineData("bin/demo", "bin/Demo")]
    [InlineData("README.txt", "readme.TXT")]
    [InlineData("a.txt", "a.txt")]
    [InlineData("lib", "lib/x.so")]
    [InlineData("LIB", "lib/x.so")]
    public void ParseManifest_PathsCollidingIgnoringCase_ThrowsUnsafePath(string first, string second)
    {
        byte[] bytes = Manifest(Entry(first, 1, ShaA, executable: false), Entry(second, 1, ShaB, executable: false));

        Action parse = () => DocumentParser.ParseManifest(bytes, ManifestLimits.Default);

        VerificationException ex = parse.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.UnsafePath);
        ex.Stage.Should().Be(UpdateStage.Manifest);
    }

    [Fact]
    public void ParseManifest_FilesAtCountCap_IsAccepted()
    {
        byte[] bytes = Manifest(Entry("a", 1, ShaA, false), Entry("b", 1, ShaA, false), Entry("c", 1, ShaA, false));

        DocumentParser.ParseManifest(bytes, s_small).Files.Should().HaveCount(3);
    }

    [Fact]
    public void ParseManifest_FilesOverCountCap_ThrowsTooLarge()
    {
        byte[] bytes = Manifest(Entry("a", 1, ShaA, false), Entry("b", 1, ShaA, false), Entry("c", 1, ShaA, false), Entry("d", 1, ShaA, false));

        Action parse = () => DocumentParser.ParseManifest(bytes, s_small);

        VerificationException ex = parse.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.TooLarge);
        ex.Stage.Should().Be(UpdateStage.Manifest);
    }

    [Fact]
    public void ParseManifest_TotalSizeAtCap_IsAccepted()
    {
        byte[] bytes = Manifest(Entry("a", 60, ShaA, false), Entry("b", 40, ShaB, false));

        DocumentParser.ParseManifest(bytes, s_small).TotalSize.Should().Be(100);
    }

    [Theory]
    [InlineData(60, 41)]
    [InlineData(101, 0)]
    [InlineData(0, long.MaxValue)]
    [InlineData(50, long.MaxValue - 20)]
    public void ParseManifest_TotalSizeOverCap_ThrowsTooLarge(long first, long second)
    {
        byte[] bytes = Manifest(Entry("a", first, ShaA, false), Entry("b", second, ShaB, false));

        Action parse = () => DocumentParser.ParseManifest(bytes, s_small);

        VerificationException ex = parse.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.TooLarge);
        ex.Stage.Should().Be(UpdateStage.Manifest);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void ParseManifest_NegativeSize_ThrowsMalformed(long size)
    {
        // A negative size is not a size at all: the document is invalid for its schema, not over a cap.
        byte[] bytes = Manifest(Entry("a", size, ShaA, false));

        AssertMalformed(bytes, UpdateStage.Manifest);
    }

    [Theory]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890")]
    [InlineData("gbcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("")]
    [InlineData(" bcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    public void ParseManifest_DigestNotLowercaseHex64_ThrowsMalformed(string sha256)
    {
        AssertMalformed(Manifest(Entry("a", 1, sha256, false)), UpdateStage.Manifest);
    }

    [Fact]
    public void ParseChannelPointer_ValidDocument_ReturnsEveryField()
    {
        ChannelPointer pointer = DocumentParser.ParseChannelPointer(Pointer("1.2.0-rc.1+build.5", ShaB, "812"));

        pointer.App.Should().Be("demo");
        pointer.Channel.Should().Be("stable");
        pointer.Version.ToString().Should().Be("1.2.0-rc.1+build.5");
        pointer.ManifestSha256.Should().Equal(Convert.FromHexString(ShaB));
        pointer.ManifestSize.Should().Be(812);
        pointer.Expires.Should().Be(new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0 ")]
    [InlineData("../1.0.0")]
    public void ParseChannelPointer_BadVersion_ThrowsMalformed(string version)
    {
        AssertMalformed(Pointer(version, ShaA, "812"), UpdateStage.Channel);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-9223372036854775808")]
    [InlineData("1.5")]
    [InlineData("\"812\"")]
    [InlineData("null")]
    [InlineData("9223372036854775808")]
    public void ParseChannelPointer_ManifestSizeNotPositiveInteger_ThrowsMalformed(string size)
    {
        AssertMalformed(Pointer("1.0.0", ShaA, size), UpdateStage.Channel);
    }

    [Theory]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abcdef")]
    [InlineData("")]
    public void ParseChannelPointer_BadManifestDigest_ThrowsMalformed(string sha256)
    {
        AssertMalformed(Pointer("1.0.0", sha256, "812"), UpdateStage.Channel);
    }

    [Theory]
    [InlineData("\"schema\": \"secure-update/channel/v1\",", "\"schema\": \"secure-update/manifest/v1\",")]
    [InlineData("\"app\": \"demo\",", "")]
    [InlineData("\"app\": \"demo\",", "\"app\": null,")]
    [InlineData("\"app\": \"demo\",", "\"app\": \"demo\", \"app\": \"demo\",")]
    [InlineData("\"app\": \"demo\",", "\"app\": \"demo\", \"mirror\": \"x\",")]
    [InlineData("\"app\": \"demo\",", "/**/\"app\": \"demo\",")]
    [InlineData("\"expires\": \"2026-12-03T05:00:00Z\"", "\"expires\": \"2026-12-03T05:00:00Z\",")]
    public void ParseChannelPointer_StrictnessViolation_ThrowsMalformed(string find, string replace)
    {
        string text = Encoding.UTF8.GetString(Pointer("1.0.0", ShaA, "812"));
        string changed = text.Replace(find, replace, StringComparison.Ordinal);
        changed.Should().NotBe(text, "the case must change the document");

        AssertMalformed(Encoding.UTF8.GetBytes(changed), UpdateStage.Channel);
    }

    private static void AssertMalformed(byte[] bytes, UpdateStage stage)
    {
        Action parse = stage == UpdateStage.Channel
            ? () => DocumentParser.ParseChannelPointer(bytes)
            : () => DocumentParser.ParseManifest(bytes, ManifestLimits.Default);

        VerificationException ex = parse.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(ErrorCode.Malformed);
        ex.Stage.Should().Be(stage);
    }

    private static string Entry(string path, long size, string sha256, bool executable) =>
        $"{{\"path\": \"{JsonEncodedText.Encode(path)}\", \"size\": {size}, \"sha256\": \"{sha256}\", \"executable\": {(executable ? "true" : "false")}}}";

    private static byte[] Manifest(params string[] entries) =>
        Encoding.UTF8.GetBytes(ManifestTemplate.Replace("[FILES]", "[" + string.Join(", ", entries) + "]", StringComparison.Ordinal));

    private static byte[] Pointer(string version, string sha256, string size) =>
        Encoding.UTF8.GetBytes(PointerTemplate
            .Replace("VERSION", version, StringComparison.Ordinal)
            .Replace("SHA", sha256, StringComparison.Ordinal)
            .Replace("SIZE", size, StringComparison.Ordinal));
}
