using System.CommandLine;
using System.CommandLine.Parsing;
using SecureUpdate.Configuration;

namespace SecureUpdate.Cli.Commands;

/// <summary>
/// Duration options (<c>30s</c>, <c>10m</c>, <c>12h</c>, <c>30d</c>): every one is parsed by <see cref="Parse"/>,
/// which uses the library's <see cref="DurationParser"/>, so a bad value is a parse error (exit 2) before anything runs.
/// </summary>
internal static class DurationOption
{
    /// <summary>A duration option with a default, written the way a user writes it (<c>"30m"</c>).</summary>
    public static Option<Duration> Create(string name, string description, string defaultValue)
    {
        if (!DurationParser.TryParse(defaultValue, out var value))
        {
            throw new ArgumentException($"The default of {name} is not a duration: '{defaultValue}'.", nameof(defaultValue));
        }

        return new Option<Duration>(name) { Description = description, CustomParser = Parse, DefaultValueFactory = _ => new Duration(value, defaultValue) };
    }

    /// <summary>A duration option without a default: null when not given.</summary>
    public static Option<Duration?> CreateOptional(string name, string description) =>
        new(name) { Description = description, CustomParser = result => Parse(result) };

    /// <summary>The one parser of duration options; a value it refuses is reported as a parse error naming the option.</summary>
    public static Duration Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (DurationParser.TryParse(text, out var value))
        {
            return new Duration(value, text);
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name} '{text}' is not a duration such as 30s, 10m, 12h or 30d.");
        return default;
    }
}
