using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SelfUpdatingAgent;

/// <summary>
/// The agent's command line. Paths are made absolute as they are parsed: the companion restarts the
/// agent in the new version's folder with the same arguments (<see cref="RestartCommand"/>).
/// </summary>
internal sealed class AgentArguments
{
    public const string Usage =
        "usage: SelfUpdatingAgent --feed URL --trust FILE --target DIR --companion PATH\n" +
        "                         [--interval 2s] [--jitter 1s] [--confirm-within 20s] [--status-file FILE] [--log FILE]";

    public required string Feed { get; init; }

    public required string TrustFile { get; init; }

    public required string Target { get; init; }

    public required string Companion { get; init; }

    public required TimeSpan Interval { get; init; }

    public required TimeSpan Jitter { get; init; }

    public required TimeSpan ConfirmWithin { get; init; }

    /// <summary>Where the agent reports its version, pid and state (JSON); null for none.</summary>
    public string? StatusFile { get; init; }

    /// <summary>The file a restarted agent (and the companion) append their output to. Default <c>TARGET/agent.log</c>.</summary>
    public required string LogFile { get; init; }

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out AgentArguments? arguments, out string error)
    {
        arguments = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--feed", "--trust", "--target", "--companion", "--interval", "--jitter", "--confirm-within", "--status-file", "--log"];
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!known.Contains(args[i], StringComparer.Ordinal))
            {
                error = $"unknown argument '{args[i]}'";
                return false;
            }

            if (i + 1 >= args.Count || args[i + 1].Length == 0)
            {
                error = $"{args[i]} needs a value";
                return false;
            }

            values[args[i]] = args[i + 1];
        }

        foreach (var required in known[..4])
        {
            if (!values.ContainsKey(required))
            {
                error = $"{required} is required";
                return false;
            }
        }

        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
        {
            ["--interval"] = TimeSpan.FromSeconds(2),
            ["--jitter"] = TimeSpan.FromSeconds(1),
            ["--confirm-within"] = TimeSpan.FromSeconds(20),
        };
        foreach (var name in durations.Keys.ToList())
        {
            if (values.TryGetValue(name, out var text))
            {
                if (!TryParseDuration(text, out var duration))
                {
                    error = $"{name} '{text}' is not a duration such as 500ms, 2s, 5m or 1h";
                    return false;
                }

                durations[name] = duration;
            }
        }

        var target = Path.GetFullPath(values["--target"]);
        arguments = new AgentArguments
        {
            // A feed folder is made absolute too; a URL is kept as it is.
            Feed = values["--feed"].Contains("://", StringComparison.Ordinal) ? values["--feed"] : Path.GetFullPath(values["--feed"]),
            TrustFile = Path.GetFullPath(values["--trust"]),
            Target = target,

            // A bare command name is looked up on PATH; anything with a slash is a path.
            Companion = values["--companion"].Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(values["--companion"]) : values["--companion"],
            Interval = durations["--interval"],
            Jitter = durations["--jitter"],
            ConfirmWithin = durations["--confirm-within"],
            StatusFile = values.TryGetValue("--status-file", out var status) ? Path.GetFullPath(status) : null,
            LogFile = Path.GetFullPath(values.GetValueOrDefault("--log", Path.Combine(target, "agent.log"))),
        };
        error = "";
        return true;
    }

    /// <summary>
    /// The shell command the companion runs in the new version's folder (or, after a revert, the
    /// previous one's): this agent again, with the same arguments, appending to the same log.
    /// </summary>
    public string RestartCommand()
    {
        // The dotnet host running this process, when there is one: the companion's PATH may not have it.
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var words = new List<string>
        {
            host, "./SelfUpdatingAgent.dll",
            "--feed", Feed, "--trust", TrustFile, "--target", Target, "--companion", Companion,
            "--interval", FormatDuration(Interval), "--jitter", FormatDuration(Jitter), "--confirm-within", FormatDuration(ConfirmWithin),
            "--log", LogFile,
        };
        if (StatusFile is not null)
        {
            words.AddRange(["--status-file", StatusFile]);
        }

        return $"exec {string.Join(' ', words.Select(Quote))} >> {Quote(LogFile)} 2>&1";
    }

    /// <summary>Quotes one word for <c>sh</c>: single quotes, with embedded ones closed, escaped and reopened.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A whole number and a unit: <c>500ms</c>, <c>2s</c>, <c>5m</c>, <c>1h</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var digits = text.TakeWhile(char.IsAsciiDigit).Count();
        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 1_000_000)
        {
            return false;
        }

        TimeSpan? parsed = text[digits..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => null,
        };
        duration = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    private static string FormatDuration(TimeSpan duration) =>
        ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
