using System.CommandLine;
using System.CommandLine.Parsing;
using SecureUpdate.Configuration;

namespace SecureUpdate.Cli.Commands;

/// <summary>
/// Duration options (<c>30s</c>, <c>10m</c>, <c>12h</c>, <c>30d</c>): every one is parsed by <see cref="Parse"/>,
/// which uses the library's <see cref="DurationParser"/>, so a bad value is a parse error (exit 2) before anything runs.
/// Each option has a range that everything downstream honours, shown in its help and in the error.
/// </summary>
internal static class DurationOption
{
    /// <summary>The range of a duration that arms a timer (timeouts, deadlines): a timer takes at most about 49.7 days.</summary>
    public const string TimerMax = "49d";

    /// <summary>The range of a duration that is only added to a clock reading (expiries, a confirmation window).</summary>
    public const string ClockMax = "3650d";

    /// <summary>A duration option with a default, written the way a user writes it (<c>"30m"</c>), accepted from 1s to <paramref name="max"/>.</summary>
    public static Option<Duration> Create(string name, string description, string defaultValue, string max)
    {
        var limit = Limit(name, max);
        if (!DurationParser.TryParse(defaultValue, out var value) || value > limit)
        {
            throw new ArgumentException($"The default of {name} is not a duration in its range: '{defaultValue}'.", nameof(defaultValue));
        }

        return new Option<Duration>(name) { Description = WithRange(description, max), CustomParser = result => Parse(result, limit, max), DefaultValueFactory = _ => new Duration(value, defaultValue) };
    }

    /// <summary>A duration option without a default: null when not given.</summary>
    public static Option<Duration?> CreateOptional(string name, string description, string max)
    {
        var limit = Limit(name, max);
        return new(name) { Description = WithRange(description, max), CustomParser = result => Parse(result, limit, max) };
    }

    /// <summary>The one parser of duration options; a value it refuses is reported as a parse error naming the option and its range.</summary>
    private static Duration Parse(ArgumentResult result, TimeSpan limit, string max)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        if (DurationParser.TryParse(text, out var value) && value <= limit)
        {
            return new Duration(value, text);
        }

        // Well-formed but zero or too long: say the range rather than the grammar.
        result.AddError(IsWellFormed(text)
            ? $"{name} '{Shown(text)}' is out of range: give 1s to {max}."
            : $"{name} '{Shown(text)}' is not a duration such as 30s, 10m, 12h or 30d (1s to {max}).");
        return default;
    }

    private static TimeSpan Limit(string name, string max) =>
        DurationParser.TryParse(max, out var limit) ? limit : throw new ArgumentException($"The range of {name} is not a duration: '{max}'.", nameof(max));

    private static string WithRange(string description, string max) => $"{description} Range 1s to {max}.";

    private static bool IsWellFormed(string text) =>
        text.Length >= 2 && "smhd".Contains(text[^1], StringComparison.Ordinal) && !text.AsSpan(0, text.Length - 1).ContainsAnyExceptInRange('0', '9');

    // A value typed on the command line may hold anything; keep the error line printable.
    private static string Shown(string text) => Errors.Printable.Of(text);
}
