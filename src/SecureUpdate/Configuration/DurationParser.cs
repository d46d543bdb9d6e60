namespace SecureUpdate.Configuration;

/// <summary>Parses command-line durations: a positive whole number and one unit, <c>30s</c>, <c>10m</c>, <c>12h</c>, <c>30d</c>.</summary>
internal static class DurationParser
{
    /// <summary>
    /// Longest duration accepted: 3650 days (about ten years). Larger values are refused so that
    /// adding a duration to any clock reading can never overflow <see cref="DateTimeOffset"/>.
    /// </summary>
    internal static readonly TimeSpan MaxValue = TimeSpan.FromDays(3650);

    /// <summary>Parses <paramref name="text"/>; false for anything else, zero, or an overflow.</summary>
    /// <remarks>
    /// The grammar is exactly <c>^[0-9]+(s|m|h|d)$</c>: ASCII digits only (leading zeros allowed),
    /// no sign, no spaces, one lowercase unit. The value must be above zero and at most
    /// <see cref="MaxValue"/> (3650 days); anything larger is refused rather than clamped.
    /// </remarks>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is null || text.Length < 2)
        {
            return false;
        }

        long ticksPerUnit = text[^1] switch
        {
            's' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMinute,
            'h' => TimeSpan.TicksPerHour,
            'd' => TimeSpan.TicksPerDay,
            _ => 0,
        };
        if (ticksPerUnit == 0)
        {
            return false;
        }

        // The cap bounds the number before any multiplication, so nothing below can overflow.
        long maxUnits = MaxValue.Ticks / ticksPerUnit;
        long units = 0;
        foreach (char c in text.AsSpan(0, text.Length - 1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            units = (units * 10) + (c - '0');
            if (units > maxUnits)
            {
                return false;
            }
        }

        if (units == 0)
        {
            return false;
        }

        value = TimeSpan.FromTicks(units * ticksPerUnit);
        return true;
    }
}
