using SecureUpdate.Configuration;

namespace SecureUpdate.Tests.Configuration;

public class DurationParserTests
{
    [Theory]
    [InlineData("1s", 0, 0, 0, 1)]
    [InlineData("30s", 0, 0, 0, 30)]
    [InlineData("90s", 0, 0, 1, 30)]
    [InlineData("10m", 0, 0, 10, 0)]
    [InlineData("12h", 0, 12, 0, 0)]
    [InlineData("36h", 1, 12, 0, 0)]
    [InlineData("30d", 30, 0, 0, 0)]
    [InlineData("007s", 0, 0, 0, 7)]
    public void TryParse_ValidDuration_ReturnsValue(string text, int days, int hours, int minutes, int seconds)
    {
        bool parsed = DurationParser.TryParse(text, out TimeSpan value);

        parsed.Should().BeTrue();
        value.Should().Be(new TimeSpan(days, hours, minutes, seconds));
    }

    [Theory]
    [InlineData("3650d")]
    [InlineData("87600h")]
    [InlineData("5256000m")]
    [InlineData("315360000s")]
    public void TryParse_ExactlyTheCap_ReturnsTenYears(string text)
    {
        bool parsed = DurationParser.TryParse(text, out TimeSpan value);

        parsed.Should().BeTrue();
        value.Should().Be(TimeSpan.FromDays(3650));
        value.Should().Be(DurationParser.MaxValue);
    }

    [Theory]
    [InlineData("3651d")]
    [InlineData("87601h")]
    [InlineData("5256001m")]
    [InlineData("315360001s")]
    [InlineData("10675199d")]
    [InlineData("9223372036854775807s")]
    [InlineData("9223372036854775808s")]
    [InlineData("99999999999999999999999999999999999999d")]
    public void TryParse_AboveTheCapOrOverflowing_ReturnsFalse(string text)
    {
        bool parsed = DurationParser.TryParse(text, out TimeSpan value);

        parsed.Should().BeFalse();
        value.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("0d")]
    [InlineData("000m")]
    public void TryParse_Zero_ReturnsFalse(string text)
    {
        DurationParser.TryParse(text, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData("1S")]
    [InlineData("1H")]
    [InlineData("1D")]
    [InlineData("1w")]
    [InlineData("1y")]
    [InlineData("1ms")]
    [InlineData("1sec")]
    [InlineData("1.5h")]
    [InlineData("1,5h")]
    [InlineData("1_000s")]
    [InlineData("1e3s")]
    [InlineData("0x10s")]
    [InlineData(" 1s")]
    [InlineData("1s ")]
    [InlineData("1 s")]
    [InlineData("1s\n")]
    [InlineData("1h30m")]
    [InlineData("s1")]
    [InlineData("\u0661s")]
    [InlineData("\uFF11s")]
    [InlineData("00:10:00")]
    public void TryParse_MalformedText_ReturnsFalse(string text)
    {
        bool parsed = DurationParser.TryParse(text, out TimeSpan value);

        parsed.Should().BeFalse();
        value.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        DurationParser.TryParse(null, out TimeSpan value).Should().BeFalse();
        value.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void TryParse_LongRunOfLeadingZeros_ReturnsValue()
    {
        string text = new string('0', 10_000) + "5m";

        DurationParser.TryParse(text, out TimeSpan value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMinutes(5));
    }
}
