using SecureUpdate.Documents;

namespace SecureUpdate.Tests.Documents;

public class SemanticVersionTests
{
    // semver.org 2.0.0 precedence example (section 11), lowest first, plus core-number cases.
    private static readonly string[] s_ascending =
    [
        "0.0.0",
        "0.0.1",
        "0.1.0",
        "0.9.0",
        "0.10.0",
        "1.0.0-0",
        "1.0.0-1",
        "1.0.0-2",
        "1.0.0-10",
        "1.0.0-18446744073709551615",
        "1.0.0-18446744073709551616",
        "1.0.0-A",
        "1.0.0-Z",
        "1.0.0-a",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.9.0",
        "1.10.0",
        "2.0.0",
        "2.1.0",
        "2.1.1",
        "10.0.0",
        "18446744073709551615.0.0",
        "18446744073709551616.0.0",
        "99999999999999999999999.999999999999999999.99999999999999999",
    ];

    public static TheoryData<string> ValidVersions() => new()
    {
        // From the semver.org regular-expression test suite.
        "0.0.4",
        "1.2.3",
        "10.20.30",
        "1.1.2-prerelease+meta",
        "1.1.2+meta",
        "1.1.2+meta-valid",
        "1.0.0-alpha",
        "1.0.0-beta",
        "1.0.0-alpha.beta",
        "1.0.0-alpha.beta.1",
        "1.0.0-alpha.1",
        "1.0.0-alpha0.valid",
        "1.0.0-alpha.0valid",
        "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
        "1.0.0-rc.1+build.1",
        "2.0.0-rc.1+build.123",
        "1.2.3-beta",
        "10.2.3-DEV-SNAPSHOT",
        "1.2.3-SNAPSHOT-123",
        "1.0.0",
        "2.0.0",
        "1.1.7",
        "2.0.0+build.1848",
        "2.0.1-alpha.1227",
        "1.0.0-alpha+beta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
        "1.2.3----R-S.12.9.1--.12+meta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12",
        "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
        "99999999999999999999999.999999999999999999.99999999999999999",
        "1.0.0-0A.is.legal",

        // Edges of the grammar.
        "0.0.0",
        "1.0.0-0",
        "1.0.0--",
        "1.0.0-0-0",
        "1.0.0-00a",
        "1.0.0+001",
        "1.0.0+-",
        "1.0.0-x+y-z",
    };

    public static TheoryData<string> InvalidVersions() => new()
    {
        // From the semver.org regular-expression test suite.
        "1",
        "1.2",
        "1.2.3-0123",
        "1.2.3-0123.0123",
        "1.1.2+.123",
        "+invalid",
        "-invalid",
        "-invalid+invalid",
        "-invalid.01",
        "alpha",
        "alpha.beta",
        "alpha.beta.1",
        "alpha.1",
        "alpha+beta",
        "alpha_beta",
        "alpha.",
        "alpha..",
        "beta",
        "1.0.0-alpha_beta",
        "-alpha.",
        "1.0.0-alpha..",
        "1.0.0-alpha..1",
        "1.0.0-alpha...1",
        "1.0.0-alpha....1",
        "1.0.0-alpha.....1",
        "1.0.0-alpha......1",
        "1.0.0-alpha.......1",
        "01.1.1",
        "1.01.1",
        "1.1.01",
        "1.2.3.DEV",
        "1.2-SNAPSHOT",
        "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
        "1.2-RC-SNAPSHOT",
        "-1.0.3-gamma+b7718",
        "+justmeta",
        "9.8.7+meta+meta",
        "9.8.7-whatever+meta+meta",
        "99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12",

        // What people type that SemVer does not allow.
        "",
        "v1.2.3",
        "V1.2.3",
        "=1.2.3",
        " 1.2.3",
        "1.2.3 ",
        "1.2.3\n",
        "1 .2.3",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-+build",
        "1.2.3-a+",
        "1.2.3-a.",
        "1.2.3-.a",
        "1.2.3+a.",
        "1.2.3+a..b",
        "1.2.3-00",
        "1.2.3-01",
        "00.1.1",
        "1.2.3.4",
        "1..3",
        ".1.2.3",
        "1.2.3.",
        "-1.2.3",
        "1.-2.3",
        "1.2.-3",
        "+1.2.3",
        "1.2.+3",
        "1.2.3-alpha!",
        "1.2.3-\u00e9",
        "1.2.3+\u00e9",
        "\uff11.2.3",
        "1.\u0662.3",
        "1.2.3-\u0661",
        "1.2.3-a b",
        "1.2.3\t",
        "1.2.3\0",
        "1,2,3",
        "1.2.3_4",
    };

    [Theory]
    [MemberData(nameof(ValidVersions))]
    public void TryParse_ValidSemVer_ReturnsVersionWithOriginalText(string text)
    {
        bool parsed = SemanticVersion.TryParse(text, out SemanticVersion? version);

        parsed.Should().BeTrue();
        version.Should().NotBeNull();
        version!.ToString().Should().Be(text);
    }

    [Theory]
    [MemberData(nameof(InvalidVersions))]
    public void TryParse_InvalidSemVer_ReturnsFalse(string text)
    {
        bool parsed = SemanticVersion.TryParse(text, out SemanticVersion? version);

        parsed.Should().BeFalse();
        version.Should().BeNull();
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        SemanticVersion.TryParse(null, out SemanticVersion? version).Should().BeFalse();
        version.Should().BeNull();
    }

    [Fact]
    public void TryParse_TextAtLengthCap_IsAccepted()
    {
        string text = "1.0.0-" + new string('a', 250);
        text.Length.Should().Be(256);

        SemanticVersion.TryParse(text, out _).Should().BeTrue();
    }

    [Fact]
    public void TryParse_TextOverLengthCap_ReturnsFalse()
    {
        string prerelease = "1.0.0-" + new string('a', 251);
        string build = "1.0.0+" + new string('b', 251);
        string numeric = new string('9', 253) + ".0.0";
        prerelease.Length.Should().Be(257);
        numeric.Length.Should().Be(257);

        SemanticVersion.TryParse(prerelease, out _).Should().BeFalse();
        SemanticVersion.TryParse(build, out _).Should().BeFalse();
        SemanticVersion.TryParse(numeric, out _).Should().BeFalse();
    }

    [Fact]
    public void TryParse_HugeInput_ReturnsFalse()
    {
        string text = "1.0.0-" + new string('a', 10_000_000);

        SemanticVersion.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Parse_InvalidText_ThrowsFormatException()
    {
        Action act = () => SemanticVersion.Parse("v1.0.0");

        act.Should().Throw<FormatException>();
    }

    [Fact]
    public void Parse_ValidText_ReturnsVersion()
    {
        SemanticVersion.Parse("1.2.3-rc.1+abc").ToString().Should().Be("1.2.3-rc.1+abc");
    }

    [Fact]
    public void CompareTo_SemVerPrecedenceList_OrdersEveryPairCorrectly()
    {
        SemanticVersion[] versions = s_ascending.Select(SemanticVersion.Parse).ToArray();

        for (int i = 0; i < versions.Length; i++)
        {
            for (int j = 0; j < versions.Length; j++)
            {
                int expected = i.CompareTo(j);
                int actual = versions[i].CompareTo(versions[j]);
                Math.Sign(actual).Should().Be(expected, "{0} compared with {1}", versions[i], versions[j]);
                (versions[i] < versions[j]).Should().Be(i < j, "{0} < {1}", versions[i], versions[j]);
                (versions[i] <= versions[j]).Should().Be(i <= j, "{0} <= {1}", versions[i], versions[j]);
                (versions[i] > versions[j]).Should().Be(i > j, "{0} > {1}", versions[i], versions[j]);
                (versions[i] >= versions[j]).Should().Be(i >= j, "{0} >= {1}", versions[i], versions[j]);
                (versions[i] == versions[j]).Should().Be(i == j, "{0} == {1}", versions[i], versions[j]);
                (versions[i] != versions[j]).Should().Be(i != j, "{0} != {1}", versions[i], versions[j]);
                versions[i].Equals(versions[j]).Should().Be(i == j, "{0} equals {1}", versions[i], versions[j]);
            }
        }
    }

    [Fact]
    public void CompareTo_ShuffledVersions_SortIntoPrecedenceOrder()
    {
        var random = new Random(20261126);
        SemanticVersion[] shuffled = s_ascending.Select(SemanticVersion.Parse).ToArray();
        random.Shuffle(shuffled);

        string[] sorted = shuffled.Order().Select(v => v.ToString()).ToArray();

        sorted.Should().Equal(s_ascending);
    }

    [Theory]
    [InlineData("2.0.0", "10.0.0")]
    [InlineData("1.2.0", "1.10.0")]
    [InlineData("1.0.2", "1.0.10")]
    [InlineData("1.0.0-2", "1.0.0-10")]
    [InlineData("1.0.0-999999", "1.0.0-a")]
    [InlineData("1.0.0-999", "1.0.0-0a")]
    [InlineData("1.0.0-B", "1.0.0-a")]
    [InlineData("1.0.0--", "1.0.0-0a")]
    [InlineData("1.0.0-alpha-10", "1.0.0-alpha-2")]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.0")]
    [InlineData("1.0.0-a.b.c", "1.0.0-a.b.c.d")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.0.0-zzzz+build.9", "1.0.0+build.1")]
    [InlineData("0.9.9", "1.0.0-0")]
    [InlineData("18446744073709551615.0.0", "18446744073709551616.0.0")]
    [InlineData("9.0.0", "10000000000000000000000000000000000000000.0.0")]
    public void CompareTo_LowerThenHigher_IsNegativeAndAntisymmetric(string lower, string higher)
    {
        SemanticVersion low = SemanticVersion.Parse(lower);
        SemanticVersion high = SemanticVersion.Parse(higher);

        low.CompareTo(high).Should().BeNegative();
        high.CompareTo(low).Should().BePositive();
        (low < high).Should().BeTrue();
        (high > low).Should().BeTrue();
        (low == high).Should().BeFalse();
    }

    [Theory]
    [InlineData("1.0.0+a", "1.0.0+b")]
    [InlineData("1.0.0", "1.0.0+build.5")]
    [InlineData("1.0.0-rc.1+x", "1.0.0-rc.1+y.z")]
    [InlineData("1.0.0+001", "1.0.0+1")]
    public void Equals_DifferentBuildMetadata_IsEqualButKeepsText(string left, string right)
    {
        SemanticVersion a = SemanticVersion.Parse(left);
        SemanticVersion b = SemanticVersion.Parse(right);

        a.Equals(b).Should().BeTrue();
        a.Equals((object)b).Should().BeTrue();
        (a == b).Should().BeTrue();
        (a != b).Should().BeFalse();
        (a <= b).Should().BeTrue();
        (a >= b).Should().BeTrue();
        a.CompareTo(b).Should().Be(0);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.ToString().Should().Be(left);
        b.ToString().Should().Be(right);
    }

    [Fact]
    public void GetHashCode_EqualVersions_CollapseInHashSet()
    {
        var set = new HashSet<SemanticVersion>
        {
            SemanticVersion.Parse("1.2.3+a"),
            SemanticVersion.Parse("1.2.3+b"),
            SemanticVersion.Parse("1.2.3"),
            SemanticVersion.Parse("1.2.3-rc.1"),
        };

        set.Should().HaveCount(2);
        set.Should().Contain(SemanticVersion.Parse("1.2.3+zzz"));
        set.Should().Contain(SemanticVersion.Parse("1.2.3-rc.1+x"));
    }

    [Theory]
    [InlineData("1.0.0-alpha", "1.0.0-Alpha")]
    [InlineData("1.0.0-1", "1.0.0-1.0")]
    [InlineData("1.0.0", "1.0.0-0")]
    public void Equals_DifferentPrecedence_IsNotEqual(string left, string right)
    {
        SemanticVersion a = SemanticVersion.Parse(left);
        SemanticVersion b = SemanticVersion.Parse(right);

        a.Equals(b).Should().BeFalse();
        (a == b).Should().BeFalse();
        (a != b).Should().BeTrue();
        a.CompareTo(b).Should().NotBe(0);
    }

    [Fact]
    public void CompareTo_Null_IsPositive()
    {
        SemanticVersion version = SemanticVersion.Parse("0.0.0-0");

        version.CompareTo(null).Should().BePositive();
    }

    [Fact]
    public void Operators_WithNull_TreatNullAsLowest()
    {
        SemanticVersion version = SemanticVersion.Parse("0.0.0-0");
        SemanticVersion? none = null;
        SemanticVersion? alsoNone = null;

        (none < version).Should().BeTrue();
        (version > none).Should().BeTrue();
        (none <= alsoNone).Should().BeTrue();
        (none >= alsoNone).Should().BeTrue();
        (none == alsoNone).Should().BeTrue();
        (version == none).Should().BeFalse();
        (none == version).Should().BeFalse();
        (version != none).Should().BeTrue();
        version.Equals(none).Should().BeFalse();
    }

    [Fact]
    public void Equals_OtherType_IsFalse()
    {
        SemanticVersion version = SemanticVersion.Parse("1.0.0");

        version.Equals("1.0.0").Should().BeFalse();
        version.Equals((object?)null).Should().BeFalse();
    }
}
