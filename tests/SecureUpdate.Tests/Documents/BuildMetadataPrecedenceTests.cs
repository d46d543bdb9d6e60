using SecureUpdate.Documents;
using SecureUpdate.Install;

namespace SecureUpdate.Tests.Documents;

/// <summary>SemVer 2.0 section 10: build metadata does not count for precedence, so it never makes a version newer or escape a rejection.</summary>
public sealed class BuildMetadataPrecedenceTests
{
    [Theory]
    [InlineData("1.1.0+a", "1.1.0+b")]
    [InlineData("1.1.0", "1.1.0+rebuild")]
    [InlineData("2.0.0-rc.1+x", "2.0.0-rc.1+y.2")]
    public void Versions_DifferingOnlyInBuildMetadata_HaveEqualPrecedence(string left, string right)
    {
        var a = SemanticVersion.Parse(left);
        var b = SemanticVersion.Parse(right);

        a.CompareTo(b).Should().Be(0);
        (a == b).Should().BeTrue();
        (b > a).Should().BeFalse("equal precedence is not newer");
        (a > b).Should().BeFalse("equal precedence is not newer");
        a.ToString().Should().Be(left, "the text keeps its build metadata");
    }

    [Theory]
    [InlineData("1.2.0", "1.2.0+rebuild", true)]
    [InlineData("1.2.0+a", "1.2.0", true)]
    [InlineData("1.2.0", "1.2.1+rebuild", false)]
    [InlineData("1.2.0", "1.2.0-rc.1", false)]
    public void Rejection_ComparesByPrecedence(string rejected, string offered, bool isRejected)
    {
        var state = new TargetState("demo", "stable", null).Reject(rejected);

        state.IsRejected(SemanticVersion.Parse(offered)).Should().Be(isRejected);
        state.Reject(offered).Rejected.Should().HaveCount(isRejected ? 1 : 2, "a version of equal precedence is rejected once");
    }
}
