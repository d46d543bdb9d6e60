using System.Text;
using SecureUpdate.Documents;

namespace SecureUpdate.Tests.Documents;

public class ManifestPathRulesTests
{
    private const string Empty = "is empty";
    private const string Absolute = "is absolute (starts with '/')";
    private const string TrailingSlash = "ends with '/'";
    private const string EmptySegment = "contains an empty segment";
    private const string DotSegment = "contains a '.' segment";
    private const string DotDotSegment = "contains a '..' segment";
    private const string Backslash = "contains a backslash";
    private const string Colon = "contains a ':'";
    private const string Control = "contains a control character";
    private const string EndsInDot = "has a segment ending in '.'";
    private const string EndsInSpace = "has a segment ending in a space";
    private const string DeviceName = "contains a windows device name";
    private const string Surrogate = "contains an unpaired surrogate";
    private const string LongSegment = "has a segment longer than 255 bytes";
    private const string LongPath = "is longer than 4096 bytes";
    private const string WindowsCharacter = "contains a character windows refuses in file names";
    private const string FormatCharacter = "contains an invisible or bidirectional format character";

    [Theory]
    [InlineData("a")]
    [InlineData("README.txt")]
    [InlineData("bin/demo")]
    [InlineData("a/b/c/d.e")]
    [InlineData(".hidden")]
    [InlineData("dir/.config")]
    [InlineData("a..b")]
    [InlineData("...a")]
    [InlineData(" leading-space")]
    [InlineData("with space/file name.txt")]
    [InlineData("-rf")]
    [InlineData("~user")]
    [InlineData("$HOME")]
    [InlineData("console")]
    [InlineData("conf/con2")]
    [InlineData("CONx.txt")]
    [InlineData("my.con")]
    [InlineData("x.nul")]
    [InlineData("nul_")]
    [InlineData("aux-data/com10")]
    [InlineData("lpt")]
    [InlineData("lpt10.txt")]
    [InlineData("com")]
    [InlineData("comA")]
    [InlineData("conin")]
    [InlineData("prn2.log")]
    [InlineData("caf\u00e9/\u00fcber.txt")]
    [InlineData("\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb")]
    [InlineData("emoji-\U0001F600.png")]
    [InlineData("\u00a0")]
    public void IsSafe_NormalisedRelativePath_ReturnsTrueWithEmptyReason(string path)
    {
        bool safe = ManifestPathRules.IsSafe(path, out string reason);

        safe.Should().BeTrue();
        reason.Should().BeEmpty();
    }

    [Theory]
    [InlineData("", Empty)]
    [InlineData("/", Absolute)]
    [InlineData("/etc/passwd", Absolute)]
    [InlineData("//server/share/x", Absolute)]
    [InlineData("a/", TrailingSlash)]
    [InlineData("a/b/", TrailingSlash)]
    [InlineData("a//b", EmptySegment)]
    [InlineData(".", DotSegment)]
    [InlineData("./a", DotSegment)]
    [InlineData("a/./b", DotSegment)]
    [InlineData("a/.", DotSegment)]
    [InlineData("..", DotDotSegment)]
    [InlineData("../a", DotDotSegment)]
    [InlineData("a/../b", DotDotSegment)]
    [InlineData("a/..", DotDotSegment)]
    [InlineData("../../../../etc/passwd", DotDotSegment)]
    [InlineData("a\\b", Backslash)]
    [InlineData("..\\..\\windows", Backslash)]
    [InlineData("\\\\server\\share", Backslash)]
    [InlineData("C:", Colon)]
    [InlineData("c:/windows", Colon)]
    [InlineData("C:file", Colon)]
    [InlineData("file.txt:stream", Colon)]
    [InlineData("file.txt::$DATA", Colon)]
    [InlineData("a/b:c/d", Colon)]
    [InlineData("a./b", EndsInDot)]
    [InlineData("a.", EndsInDot)]
    [InlineData("...", EndsInDot)]
    [InlineData("dir/file.", EndsInDot)]
    [InlineData("a /b", EndsInSpace)]
    [InlineData("a ", EndsInSpace)]
    [InlineData(" ", EndsInSpace)]
    [InlineData("CON", DeviceName)]
    [InlineData("con", DeviceName)]
    [InlineData("Con.txt", DeviceName)]
    [InlineData("NUL.tar.gz", DeviceName)]
    [InlineData("nul", DeviceName)]
    [InlineData("PRN", DeviceName)]
    [InlineData("aux.h", DeviceName)]
    [InlineData("AuX", DeviceName)]
    [InlineData("a/con/b", DeviceName)]
    [InlineData("bin/lpt1.dll", DeviceName)]
    [InlineData("con .txt", DeviceName)]
    [InlineData("COM1", DeviceName)]
    [InlineData("com9.log", DeviceName)]
    [InlineData("COM0", DeviceName)]
    [InlineData("LPT0", DeviceName)]
    [InlineData("LPT9", DeviceName)]
    [InlineData("com\u00b9", DeviceName)]
    [InlineData("COM\u00b2.txt", DeviceName)]
    [InlineData("lpt\u00b3", DeviceName)]
    [InlineData("CONIN$", DeviceName)]
    [InlineData("conout$.txt", DeviceName)]
    [InlineData("a<b", WindowsCharacter)]
    [InlineData("a>b", WindowsCharacter)]
    [InlineData("say\"hi\"", WindowsCharacter)]
    [InlineData("a|b", WindowsCharacter)]
    [InlineData("why?", WindowsCharacter)]
    [InlineData("bin/*", WindowsCharacter)]
    [InlineData("gpj\u202Eexe.txt", FormatCharacter)]
    [InlineData("a\u200Bb", FormatCharacter)]
    [InlineData("\uFEFFbom", FormatCharacter)]
    [InlineData("x\u2066y", FormatCharacter)]
    public void IsSafe_UnsafePath_ReturnsFalseWithReason(string path, string expectedReason)
    {
        bool safe = ManifestPathRules.IsSafe(path, out string reason);

        safe.Should().BeFalse();
        reason.Should().Be(expectedReason);
    }

    [Theory]
    [InlineData(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)]
    [InlineData(17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 0)]
    [InlineData(0x7F, 0x80, 0x81, 0x85, 0x8A, 0x90, 0x9B, 0x9F, 0, 0, 0, 0, 0, 0, 0, 0)]
    public void IsSafe_ControlCharacter_ReturnsFalse(params int[] codePoints)
    {
        foreach (int codePoint in codePoints)
        {
            char c = (char)codePoint;
            foreach (string path in new[] { $"{c}", $"a{c}b", $"dir/file{c}", $"{c}/x" })
            {
                ManifestPathRules.IsSafe(path, out string reason).Should().BeFalse("U+{0:X4} is a control character", codePoint);
                reason.Should().Be(Control);
            }
        }
    }

    [Fact]
    public void IsSafe_CharactersNextToControlRanges_AreAllowed()
    {
        ManifestPathRules.IsSafe("a\u0020b", out _).Should().BeTrue();
        ManifestPathRules.IsSafe("a~b", out _).Should().BeTrue();
        ManifestPathRules.IsSafe("a\u00A0b", out _).Should().BeTrue();
        ManifestPathRules.IsSafe("a\u00A1b", out _).Should().BeTrue();
    }

    [Fact]
    public void IsSafe_Null_ReturnsFalse()
    {
        ManifestPathRules.IsSafe(null!, out string reason).Should().BeFalse();
        reason.Should().Be(Empty);
    }

    [Theory]
    [InlineData("lone-high")]
    [InlineData("lone-low")]
    [InlineData("reversed-pair")]
    [InlineData("high-at-end")]
    [InlineData("two-highs")]
    public void IsSafe_UnpairedSurrogate_ReturnsFalse(string shape)
    {
        // Built here, not passed as data: a lone surrogate does not survive test-case serialisation.
        string path = shape switch
        {
            "lone-high" => "a\uD800b",
            "lone-low" => "a\uDC00b",
            "reversed-pair" => "a\uDC00\uD800b",
            "high-at-end" => "dir/a\uD83D",
            "two-highs" => "\uD83D\uD83D\uDE00",
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };

        ManifestPathRules.IsSafe(path, out string reason).Should().BeFalse();
        reason.Should().Be(Surrogate);
    }

    [Fact]
    public void IsSafe_SegmentOf255Utf8Bytes_ReturnsTrue()
    {
        string ascii = new('a', 255);
        string twoByte = new string('\u00e9', 127) + "a";
        string fourByte = string.Concat(Enumerable.Repeat("\U0001F600", 63)) + "abc";
        Encoding.UTF8.GetByteCount(twoByte).Should().Be(255);
        Encoding.UTF8.GetByteCount(fourByte).Should().Be(255);

        ManifestPathRules.IsSafe(ascii, out _).Should().BeTrue();
        ManifestPathRules.IsSafe("dir/" + twoByte, out _).Should().BeTrue();
        ManifestPathRules.IsSafe(fourByte + "/x", out _).Should().BeTrue();
    }

    [Fact]
    public void IsSafe_SegmentOver255Utf8Bytes_ReturnsFalse()
    {
        string ascii = new('a', 256);
        string twoByte = new('\u00e9', 128);
        string fourByte = string.Concat(Enumerable.Repeat("\U0001F600", 64));
        twoByte.Length.Should().BeLessThan(255, "the limit is in bytes, not characters");

        foreach (string segment in new[] { ascii, twoByte, fourByte })
        {
            ManifestPathRules.IsSafe("dir/" + segment + "/x", out string reason).Should().BeFalse();
            reason.Should().Be(LongSegment);
        }
    }

    [Fact]
    public void IsSafe_PathOf4096Utf8Bytes_ReturnsTrue()
    {
        string path = BuildPath(4096, '\u00e9');
        Encoding.UTF8.GetByteCount(path).Should().Be(4096);

        ManifestPathRules.IsSafe(path, out string reason).Should().BeTrue(reason);
    }

    [Fact]
    public void IsSafe_PathOver4096Utf8Bytes_ReturnsFalse()
    {
        string ascii = BuildPath(4097, 'a');
        string twoByte = BuildPath(4097, '\u00e9');
        Encoding.UTF8.GetByteCount(twoByte).Should().Be(4097);
        twoByte.Length.Should().BeLessThan(4096, "the limit is in bytes, not characters");

        ManifestPathRules.IsSafe(ascii, out string asciiReason).Should().BeFalse();
        asciiReason.Should().Be(LongPath);
        ManifestPathRules.IsSafe(twoByte, out string twoByteReason).Should().BeFalse();
        twoByteReason.Should().Be(LongPath);
    }

    [Fact]
    public void IsSafe_HugePath_ReturnsFalse()
    {
        string path = string.Join('/', Enumerable.Repeat("ab", 1_000_000));

        ManifestPathRules.IsSafe(path, out string reason).Should().BeFalse();
        reason.Should().Be(LongPath);
    }

    [Fact]
    public void IsSafe_EveryRefusal_HasShortLowercaseReason()
    {
        string[] unsafePaths = ["", "/a", "a/", "a//b", "./a", "../a", "a\\b", "a:b", "a\u0001", "a.", "a ", "CON", "a\uD800", new string('a', 300), BuildPath(5000, 'a')];

        foreach (string path in unsafePaths)
        {
            ManifestPathRules.IsSafe(path, out string reason).Should().BeFalse();
            reason.Should().NotBeNullOrWhiteSpace();
            reason.Should().Be(reason.ToLowerInvariant());
            reason.Length.Should().BeLessThan(50);
        }
    }

    [Fact]
    public void FindCollision_EmptyOrSingleList_ReturnsNull()
    {
        ManifestPathRules.FindCollision([]).Should().BeNull();
        ManifestPathRules.FindCollision(["a"]).Should().BeNull();
    }

    [Fact]
    public void FindCollision_DistinctPaths_ReturnsNull()
    {
        string[] paths =
        [
            "bin", "binary/x", "bin.txt", "bin-x/y", "bin x/z", "bi/n",
            "a/b", "a/bc", "a/b.c", "a/b-c/d", "ab/c", "README", "readme.txt",
            "Stra\u00dfe", "STRASSE",
        ];

        ManifestPathRules.FindCollision(paths).Should().BeNull();
    }

    [Theory]
    [InlineData("a|b|A", "a")]
    [InlineData("x|y|x", "x")]
    [InlineData("README.txt|docs/a|readme.TXT", "README.txt")]
    [InlineData("one|bin/Demo|two|BIN/demo", "bin/Demo")]
    [InlineData("bin|BIN/app", "bin")]
    [InlineData("BIN/app|bin", "BIN/app")]
    [InlineData("bin-x|bin/app|bin", "bin/app")]
    [InlineData("bin-x/a|bin.txt|bin x|bin/app|bin", "bin/app")]
    [InlineData("a/b|a/c|a/b/c", "a/b")]
    [InlineData("P/b|P/a|P", "P/b")]
    [InlineData("z|y|P/b/c|P/a|P/b/d|p", "P/b/c")]
    [InlineData("q|a/b/c/d|A/B", "a/b/c/d")]
    [InlineData("a/b|a/B/c", "a/b")]
    [InlineData("lib/x.so|lib/X.so/inner", "lib/x.so")]
    [InlineData("\u00c4rger|\u00e4rger", "\u00c4rger")]
    [InlineData("\u03a3/x|\u03c3/y|\u03c3", "\u03a3/x")]
    public void FindCollision_CollidingPaths_ReturnsFirstListedCollidingPath(string joined, string expected)
    {
        string[] paths = joined.Split('|');

        ManifestPathRules.FindCollision(paths).Should().Be(expected);
    }

    [Fact]
    public void FindCollision_AgreesWithOrdinalIgnoreCaseOnSupplementaryLetters()
    {
        // Deseret capital and small long I: a case pair outside the BMP.
        string upper = "\U00010400";
        string lower = "\U00010428";
        bool frameworkSaysEqual = string.Equals(upper, lower, StringComparison.OrdinalIgnoreCase);

        string? collision = ManifestPathRules.FindCollision([upper, lower]);

        (collision is not null).Should().Be(frameworkSaysEqual);
    }

    [Fact]
    public void FindCollision_NullList_Throws()
    {
        Action act = () => ManifestPathRules.FindCollision(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void FindCollision_NullEntry_Throws()
    {
        Action act = () => ManifestPathRules.FindCollision(["a", null!]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void FindCollision_HundredThousandDistinctPaths_ReturnsNull()
    {
        List<string> paths = BuildLargeManifest();

        ManifestPathRules.FindCollision(paths).Should().BeNull();
    }

    [Fact]
    public void FindCollision_HundredThousandPathsWithCaseDuplicateAtTheEnd_ReturnsIt()
    {
        List<string> paths = BuildLargeManifest();
        paths.Add("DIR0420/SUB0/FILE42000.BIN");

        ManifestPathRules.FindCollision(paths).Should().Be("dir0420/sub0/file42000.bin");
    }

    [Fact]
    public void FindCollision_HundredThousandPathsWithFileAlsoAFolder_ReturnsIt()
    {
        List<string> paths = BuildLargeManifest();
        paths.Add("dir0999/sub9/file99999.bin/inner");

        ManifestPathRules.FindCollision(paths).Should().Be("dir0999/sub9/file99999.bin");
    }

    [Fact]
    public void FindCollision_ManyDeepPathsSharingLongPrefixes_ReturnsNullAndThenTheCollision()
    {
        // Long paths that differ only in their last segment, under a deep shared folder.
        string prefix = string.Join('/', Enumerable.Repeat("segment", 200));
        var paths = new List<string>(2_001);
        for (int i = 0; i < 2_000; i++)
        {
            paths.Add($"{prefix}/f{i}");
        }

        ManifestPathRules.FindCollision(paths).Should().BeNull();

        paths.Insert(0, prefix[..^8]);
        ManifestPathRules.FindCollision(paths).Should().Be(prefix[..^8]);
    }

    private static List<string> BuildLargeManifest()
    {
        var paths = new List<string>(100_001);
        for (int i = 0; i < 100_000; i++)
        {
            paths.Add($"dir{i / 100:D4}/sub{i % 10}/file{i}.bin");
        }

        return paths;
    }

    // Segments of 100 fill characters joined by '/', the last one padded with ASCII to exactly the byte count.
    private static string BuildPath(int utf8Bytes, char fill)
    {
        int perChar = Encoding.UTF8.GetByteCount(fill.ToString());
        int fullSegment = (100 * perChar) + 1;
        var builder = new StringBuilder();
        int bytes = 0;
        while (utf8Bytes - bytes > fullSegment)
        {
            builder.Append(fill, 100).Append('/');
            bytes += fullSegment;
        }

        int count = (utf8Bytes - bytes) / perChar;
        builder.Append(fill, count);
        bytes += count * perChar;
        builder.Append('x', utf8Bytes - bytes);
        return builder.ToString();
    }
}
