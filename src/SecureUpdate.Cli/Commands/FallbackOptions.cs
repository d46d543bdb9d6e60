using System.CommandLine.Parsing;
using System.CommandLine;
using SecureUpdate.Configuration;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>--fallback MODE</c> and <c>--allowlist FILE</c> (apply and verify), and the combinations they refuse.</summary>
internal static class FallbackOptions
{
    private const string Names = "hard-reset, debug-shell, hash-allowlist";

    /// <summary>
    /// <c>--fallback</c>, parsed by <see cref="FallbackModeNames.TryParse"/>. When it is not given the value is
    /// <c>default(FallbackMode)</c>, hard-reset; no default factory, so that help does not print the enum's member name.
    /// </summary>
    public static Option<FallbackMode> Fallback()
    {
        var option = new Option<FallbackMode>("--fallback")
        {
            Description = "When verification fails: hard-reset (default), debug-shell or hash-allowlist.",
            HelpName = "fallback",
            CustomParser = Parse,
        };

        // Suggest the names users type, not the enum's member names.
        option.CompletionSources.Clear();
        option.CompletionSources.Add("hard-reset", "debug-shell", "hash-allowlist");
        return option;
    }

    public static Option<string?> Allowlist() => new("--allowlist") { Description = "With --fallback hash-allowlist: the owner-only allowlist of manifest digests (secure-update/allowlist/v1)." };

    /// <summary>
    /// Adds the validator that refuses combinations that cannot work: hash-allowlist without --allowlist,
    /// --allowlist with another mode, and debug-shell (a prompt on stdin and stdout) with --json.
    /// </summary>
    public static void AddCombinationValidator(Command command, Option<FallbackMode> fallback, Option<string?> allowlist) =>
        command.Validators.Add(result =>
        {
            if (ReadMode(result, fallback) is not { } mode)
            {
                return;
            }

            var problem = (mode, result.GetResult(allowlist) is not null, result.GetValue(CommonOptions.Json)) switch
            {
                (FallbackMode.HashAllowlist, false, _) => "--fallback hash-allowlist needs --allowlist FILE.",
                (not FallbackMode.HashAllowlist, true, _) => "--allowlist applies only with --fallback hash-allowlist.",
                (FallbackMode.DebugShell, _, true) => "--fallback debug-shell talks on stdin and stdout; it cannot be combined with --json.",
                _ => null,
            };
            if (problem is not null)
            {
                result.AddError(problem);
            }
        });

    private static FallbackMode Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (FallbackModeNames.TryParse(text, out var mode))
        {
            return mode;
        }

        result.AddError($"--fallback '{text}' is not one of {Names}.");
        return default;
    }

    /// <summary>
    /// The mode, read inside a command validator, or null when it cannot be read yet. Command validators run before
    /// options are parsed, and reading a value its parser refuses throws; such a value (or a missing or repeated one)
    /// is left for the option itself to report.
    /// </summary>
    private static FallbackMode? ReadMode(CommandResult result, Option<FallbackMode> fallback) =>
        result.GetResult(fallback) is { } given && (given.Tokens.Count != 1 || !FallbackModeNames.TryParse(given.Tokens[0].Value, out _))
            ? null
            : result.GetValue(fallback);
}
