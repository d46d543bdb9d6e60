using System.Globalization;
using System.Text;

namespace SecureUpdate.Cli;

/// <summary>
/// The text of the progress bar <c>apply</c> draws on a terminal, without any terminal control:
/// <c>[########------------]  40%  4.0 MiB / 10.0 MiB  2.0 MiB/s  ETA 0:03</c>. The speed is
/// measured over a sliding window of recent reports (so one burst or pause does not swing it), and
/// the ETA is what is left at that speed; both show <c>--</c> until two reports are far enough
/// apart to measure, and while nothing moves.
/// </summary>
internal sealed class ProgressBar
{
    /// <summary>The characters between the brackets.</summary>
    public const int BarWidth = 20;

    /// <summary>The longest line drawn: fits an 80-column terminal without wrapping (a wrapped line would not be redrawn in place).</summary>
    public const int MaxWidth = 79;

    /// <summary>How far back the speed looks.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(5);

    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _window;
    private readonly Queue<(long Timestamp, long Bytes)> _samples = new();

    public ProgressBar(TimeProvider timeProvider, TimeSpan? window = null)
    {
        _timeProvider = timeProvider;
        _window = window ?? DefaultWindow;
    }

    /// <summary>Records <paramref name="progress"/> at the current time and returns the line to draw (no control characters).</summary>
    public string Render(UpdateProgress progress)
    {
        var now = _timeProvider.GetTimestamp();
        var speed = Sample(now, progress.BytesDone);
        var fraction = Fraction(progress);
        var filled = (int)Math.Floor(fraction * BarWidth);
        var line = new StringBuilder(MaxWidth + 16);
        line.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append(']');
        line.Append(' ').Append(((int)Math.Floor(fraction * 100)).ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append('%');
        line.Append("  ").Append(FormatBytes(progress.BytesDone)).Append(" / ").Append(FormatBytes(progress.BytesTotal));
        line.Append("  ").Append(speed is { } perSecond ? FormatBytes((long)perSecond) + "/s" : "-- B/s");
        var remaining = progress.BytesTotal - progress.BytesDone;
        TimeSpan? eta = remaining <= 0 ? TimeSpan.Zero : speed is > 0 ? Seconds(remaining / speed.Value) : null;
        line.Append("  ETA ").Append(FormatDuration(eta));
        return line.Length <= MaxWidth ? line.ToString() : line.ToString(0, MaxWidth);
    }

    /// <summary>Bytes in binary units: <c>512 B</c>, <c>1.5 KiB</c>, <c>23.4 MiB</c>, <c>1.0 GiB</c>.</summary>
    public static string FormatBytes(long bytes)
    {
        if (bytes < 1024)
        {
            return Math.Max(0, bytes).ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < s_units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        // Truncated, not rounded, so that 1023.99 KiB never shows as "1024.0 KiB".
        var tenths = Math.Floor(value * 10) / 10;
        return tenths.ToString("0.0", CultureInfo.InvariantCulture) + " " + s_units[unit];
    }

    /// <summary>A time left as <c>m:ss</c> or <c>h:mm:ss</c>; <c>--:--</c> when unknown or beyond 99 hours.</summary>
    public static string FormatDuration(TimeSpan? duration)
    {
        if (duration is not { } value || value < TimeSpan.Zero || value >= TimeSpan.FromHours(100))
        {
            return "--:--";
        }

        var seconds = (long)Math.Ceiling(value.TotalSeconds);
        var (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{rest:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes}:{rest:00}");
    }

    /// <summary>A time in seconds, or null beyond what is shown (a TimeSpan cannot hold every quotient of two longs).</summary>
    private static TimeSpan? Seconds(double seconds) =>
        seconds < TimeSpan.FromHours(100).TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>How much is done, 0 to 1: by bytes, or by files for a release of empty files.</summary>
    private static double Fraction(UpdateProgress progress)
    {
        if (progress.BytesTotal > 0)
        {
            return Math.Clamp((double)progress.BytesDone / progress.BytesTotal, 0, 1);
        }

        return progress.FilesTotal > 0 ? Math.Clamp((double)progress.FilesDone / progress.FilesTotal, 0, 1) : 1;
    }

    /// <summary>Adds a sample and returns bytes per second over the window, or null while it cannot be measured.</summary>
    private double? Sample(long now, long bytes)
    {
        _samples.Enqueue((now, bytes));

        // Keep one sample at or beyond the window's start, so the speed always spans (about) the whole window.
        while (_samples.Count > 2 && _timeProvider.GetElapsedTime(_samples.ElementAt(1).Timestamp, now) >= _window)
        {
            _samples.Dequeue();
        }

        var (oldestTime, oldestBytes) = _samples.Peek();
        var elapsed = _timeProvider.GetElapsedTime(oldestTime, now);
        if (_samples.Count < 2 || elapsed <= TimeSpan.Zero)
        {
            return null;
        }

        var speed = (bytes - oldestBytes) / elapsed.TotalSeconds;
        return speed > 0 ? speed : null;
    }
}
