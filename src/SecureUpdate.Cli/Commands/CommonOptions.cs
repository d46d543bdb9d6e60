using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object on stdout instead of text.", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose") { Description = "On failure, also print the full exception.", Recursive = true };

    public static Option<string> Target() => new("--target") { Description = "The target folder.", Required = true };

    public static Option<string?> OptionalTarget() => new("--target") { Description = "The target folder." };

    public static Option<string?> TargetFile() => new("--target-file") { Description = "Single-file mode: the one executable to update in place (state beside it in .NAME.secure-update/)." };

    /// <summary>Exactly one of --target and --target-file; prints a usage error otherwise.</summary>
    public static bool TryGetTarget(ParseResult parseResult, Option<string?> target, Option<string?> targetFile, CliOutput output, string command, out string path, out bool singleFile, out int exitCode)
    {
        var folder = parseResult.GetValue(target);
        var file = parseResult.GetValue(targetFile);
        exitCode = 0;
        singleFile = file is not null;
        path = file ?? folder ?? "";
        if ((folder is null) == (file is null))
        {
            exitCode = output.UsageError(command, "Give exactly one of --target DIR or --target-file PATH.");
            return false;
        }

        return true;
    }

    public static Option<string> Trust() => new("--trust") { Description = "A .pub file or a trust file with the pinned keys.", Required = true };

    public static Option<string?> HealthCheck() => new("--health-check") { Description = "Shell command run in the new version's folder after the switch (SECURE_UPDATE_VERSION set); non-zero or a timeout switches back (exit 5)." };

    public static Option<string> HealthTimeout() => new("--health-timeout") { Description = "Longest the health check may run: 30s, 10m, 12h, 30d.", DefaultValueFactory = _ => "30s" };

    /// <summary>Parses a duration option or returns null after printing a usage error.</summary>
    public static bool TryGetDuration(ParseResult parseResult, Option<string> option, CliOutput output, string command, out TimeSpan value, out int exitCode)
    {
        var text = parseResult.GetValue(option)!;
        exitCode = 0;
        if (SecureUpdate.Configuration.DurationParser.TryParse(text, out value))
        {
            return true;
        }

        exitCode = output.UsageError(command, $"{option.Name} '{text}' is not a duration such as 30s, 10m, 12h or 30d.");
        return false;
    }

    public static Option<string> Fallback() => new("--fallback") { Description = "When verification fails: hard-reset (default), debug-shell or hash-allowlist.", DefaultValueFactory = _ => "hard-reset" };

    public static Option<string?> Allowlist() => new("--allowlist") { Description = "With --fallback hash-allowlist: the owner-only allowlist of manifest digests (secure-update/allowlist/v1)." };

    /// <summary>Reads --fallback and --allowlist, refusing combinations that cannot work; prints a usage error otherwise.</summary>
    public static bool TryGetFallback(ParseResult parseResult, Option<string> fallback, Option<string?> allowlist, CliOutput output, string command, out FallbackMode mode, out string? allowlistPath, out int exitCode)
    {
        var text = parseResult.GetValue(fallback);
        allowlistPath = parseResult.GetValue(allowlist);
        exitCode = 0;
        if (!FallbackModeNames.TryParse(text, out mode))
        {
            exitCode = output.UsageError(command, $"--fallback '{text}' is not one of hard-reset, debug-shell, hash-allowlist.");
            return false;
        }

        var problem = (mode, allowlistPath, output.Json) switch
        {
            (FallbackMode.HashAllowlist, null, _) => "--fallback hash-allowlist needs --allowlist FILE.",
            (not FallbackMode.HashAllowlist, not null, _) => "--allowlist applies only with --fallback hash-allowlist.",
            (FallbackMode.DebugShell, _, true) => "--fallback debug-shell talks on stdin and stdout; it cannot be combined with --json.",
            _ => null,
        };
        if (problem is not null)
        {
            exitCode = output.UsageError(command, problem);
            return false;
        }

        return true;
    }

    public static CliOutput Output(ParseResult parseResult) =>
        new(Console.Out, Console.Error, parseResult.GetValue(Json), parseResult.GetValue(Verbose));
}
