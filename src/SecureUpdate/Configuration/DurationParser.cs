namespace SecureUpdate.Configuration;

/// <summary>Parses command-line durations: a positive whole number and one unit, <c>30s</c>, <c>10m</c>, <c>12h</c>, <c>30d</c>.</summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; false for anything else, zero, or an overflow.</summary>
    public static bool TryParse(string? text, out TimeSpan value) => throw new NotImplementedException();
}
