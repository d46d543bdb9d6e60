using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Cli;

namespace SecureUpdate.Tests.Cli;

/// <summary>
/// The CLI's progress bar as text, on a fake clock: percent (100 only when done), bytes in binary
/// units, a speed over a sliding window (a burst or a pause does not swing it; unknown until it can
/// be measured and after a stall as long as the window), an ETA at that speed, and a line that fits
/// 80 columns whatever the numbers.
/// </summary>
public sealed class ProgressBarTests
{
    private const long MiB = 1024 * 1024;
    private readonly FakeTimeProvider _clock = new();

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(1024L * 1024 - 1, "1023.9 KiB")]
    [InlineData(1024L * 1024 * 1024, "1.0 GiB")]
    [InlineData(5L * 1024 * 1024 * 1024 * 1024, "5.0 TiB")]
    [InlineData(long.MaxValue, "8192.0 PiB")]
    public void FormatBytes_UsesBinaryUnits_TruncatedToATenth(long bytes, string expected) =>
        ProgressBar.FormatBytes(bytes).Should().Be(expected);

    [Theory]
    [InlineData(0.0, "0:00")]
    [InlineData(0.2, "0:01")]
    [InlineData(59.5, "1:00")]
    [InlineData(61.0, "1:01")]
    [InlineData(3661.0, "1:01:01")]
    [InlineData(359_999.0, "99:59:59")]
    [InlineData(360_000.0, "--:--")]
    [InlineData(-1.0, "--:--")]
    public void FormatDuration_MinutesOrHours_UnknownBeyondNinetyNineHours(double seconds, string expected) =>
        ProgressBar.FormatDuration(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    [Fact]
    public void FormatDuration_Unknown_IsDashes() => ProgressBar.FormatDuration(null).Should().Be("--:--");

    [Fact]
    public void Render_FirstReport_HasNoSpeedOrEtaYet()
    {
        var bar = new ProgressBar(_clock);

        bar.Render(Progress(0, 10 * MiB)).Should().Be("[--------------------]   0%  0 B / 10.0 MiB  -- B/s  ETA --:--");
    }

    [Fact]
    public void Render_SteadyMebibytePerSecond_ShowsSpeedAndEta()
    {
        var bar = new ProgressBar(_clock);
        bar.Render(Progress(0, 10 * MiB));
        string line = "";
        for (var second = 1; second <= 4; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            line = bar.Render(Progress(second * MiB, 10 * MiB));
        }

        line.Should().Be("[########------------]  40%  4.0 MiB / 10.0 MiB  1.0 MiB/s  ETA 0:06");
    }

    [Fact]
    public void Render_ABurstAfterASteadyRate_MovesTheSpeedOnlyALittle()
    {
        var bar = new ProgressBar(_clock);
        bar.Render(Progress(0, 100 * MiB));
        for (var second = 1; second <= 10; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            bar.Render(Progress(second * MiB, 100 * MiB));
        }

        // One more mebibyte within 100 ms: 10 MiB/s for that moment, 6 MiB in 5.1 s over the window.
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var line = bar.Render(Progress(11 * MiB, 100 * MiB));

        line.Should().Contain("  11.0 MiB / 100.0 MiB  1.1 MiB/s  ETA 1:16");
    }

    [Fact]
    public void Render_NothingMovedForTheWholeWindow_ShowsNoSpeedOrEta()
    {
        var bar = new ProgressBar(_clock, TimeSpan.FromSeconds(5));
        bar.Render(Progress(0, 10 * MiB));
        _clock.Advance(TimeSpan.FromSeconds(1));
        bar.Render(Progress(MiB, 10 * MiB));
        for (var i = 0; i < 7; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            bar.Render(Progress(MiB, 10 * MiB));
        }

        bar.Render(Progress(MiB, 10 * MiB)).Should().EndWith("  -- B/s  ETA --:--");
    }

    [Fact]
    public void Render_OneByteShort_IsNinetyNinePercent_AndDoneIsAHundredWithNoTimeLeft()
    {
        var bar = new ProgressBar(_clock);
        bar.Render(Progress(0, 1000));
        _clock.Advance(TimeSpan.FromSeconds(1));

        bar.Render(Progress(999, 1000)).Should().StartWith("[###################-]  99%  999 B / 1000 B  ");
        _clock.Advance(TimeSpan.FromSeconds(1));
        bar.Render(Progress(1000, 1000)).Should().Be("[####################] 100%  1000 B / 1000 B  500 B/s  ETA 0:00");
    }

    [Fact]
    public void Render_ReleaseOfEmptyFiles_CountsFiles()
    {
        var bar = new ProgressBar(_clock);

        bar.Render(new UpdateProgress("1.0.0", 1, 4, 0, 0)).Should().StartWith("[#####---------------]  25%  0 B / 0 B  ");
        bar.Render(new UpdateProgress("1.0.0", 4, 4, 0, 0)).Should().StartWith("[####################] 100%  ");
    }

    [Fact]
    public void Render_HugeNumbers_StillFitEightyColumns()
    {
        var bar = new ProgressBar(_clock);
        bar.Render(Progress(0, long.MaxValue));
        _clock.Advance(TimeSpan.FromSeconds(1));

        var line = bar.Render(Progress(1023 * 1024, long.MaxValue));

        line.Length.Should().BeLessThanOrEqualTo(ProgressBar.MaxWidth);
        line.Should().Be("[--------------------]   0%  1023.0 KiB / 8192.0 PiB  1023.0 KiB/s  ETA --:--");
    }

    [Fact]
    public void TerminalProgress_RedrawsInPlace_AndEndsWithOneNewline()
    {
        using var writer = new StringWriter();
        var terminal = new TerminalProgress(writer, _clock);
        terminal.Finish();
        writer.ToString().Should().BeEmpty("no bar drawn, no newline to end it");

        terminal.Report(Progress(0, 1000));
        _clock.Advance(TimeSpan.FromSeconds(1));
        terminal.Report(Progress(1000, 1000));
        terminal.Finish();
        terminal.Finish();

        writer.ToString().Should().Be(
            "\r[--------------------]   0%  0 B / 1000 B  -- B/s  ETA --:--\u001b[K" +
            "\r[####################] 100%  1000 B / 1000 B  1000 B/s  ETA 0:00\u001b[K\n");
    }

    [Fact]
    public void TerminalProgress_NarrowTerminal_CutsTheLineToItsWidth()
    {
        using var writer = new StringWriter();
        var terminal = new TerminalProgress(writer, _clock, width: 30);

        terminal.Report(Progress(0, 1000));

        writer.ToString().Should().Be("\r[--------------------]   0%  0\u001b[K");
    }

    private static UpdateProgress Progress(long done, long total) => new("1.0.0", 0, 1, done, total);
}
