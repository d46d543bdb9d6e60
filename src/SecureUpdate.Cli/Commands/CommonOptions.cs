using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object on stdout instead of text.", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose") { Description = "On failure, also print the full exception.", Recursive = true };

    public static Option<string> Trust() => new("--trust") { Description = "A .pub file or a trust file with the pinned keys.", Required = true };

    public static Option<string?> OptionalTrust() => new("--trust") { Description = "A .pub or trust file; defaults to the trust root the target was installed with." };

    public static Option<string?> HealthCheck() => new("--health-check") { Description = "Shell command run in the new version's folder after the switch (SECURE_UPDATE_VERSION set); non-zero or a timeout switches back (exit 5)." };

    public static Option<Duration> HealthTimeout() => DurationOption.Create("--health-timeout", "Longest the health check may run: 30s, 10m, 12h.", defaultValue: "30s", max: DurationOption.TimerMax);

    public static Option<Duration> Expires(string description) => DurationOption.Create("--expires", description, defaultValue: "30d", max: DurationOption.ClockMax);

    public static CliOutput Output(ParseResult parseResult) =>
        new(Console.Out, Console.Error, parseResult.GetValue(Json), parseResult.GetValue(Verbose));
}
