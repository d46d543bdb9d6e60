using SecureUpdate.Documents;

namespace SecureUpdate.Tests.Documents;

public sealed class IdentifiersTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("9lives")]
    [InlineData("my-app.v2_beta")]
    [InlineData("a.b")]
    [InlineData("a-")]
    [InlineData("a.")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void IsValid_AllowedIdentifier_ReturnsTrue(string value)
    {
        Identifiers.IsValid(value).Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("Demo")]
    [InlineData("DEMO")]
    [InlineData(".demo")]
    [InlineData("-demo")]
    [InlineData("_demo")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a..b")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a b")]
    [InlineData(" a")]
    [InlineData("a\n")]
    [InlineData("a\0")]
    [InlineData("caf\u00e9")]
    [InlineData("\u0430pp")]
    [InlineData("a:b")]
    [InlineData("a+b")]
    public void IsValid_DisallowedIdentifier_ReturnsFalse(string? value)
    {
        Identifiers.IsValid(value).Should().BeFalse();
    }
}
