using SecureUpdate.Errors;

namespace SecureUpdate.Cli.Shell;

/// <summary>
/// The debug-shell fallback: a restricted maintenance prompt on stdin/stdout. A line selects one
/// of a fixed set of commands and takes no arguments; each runs as the same secure-update command
/// with arguments from the command line that opened the prompt, so nothing typed can name a path,
/// a program or an option. Every line entered is recorded as an event before anything runs.
/// </summary>
internal static class DebugShellPrompt
{
    /// <summary>Longest line read; the rest of a longer line is dropped and the line refused.</summary>
    public const int MaxLineLength = 256;

    private const string Prompt = "secure-update debug> ";

    private static readonly string[] s_commands = ["status", "verify", "events", "apply", "rollback", "help", "exit"];

    /// <summary>True while a prompt runs: commands it runs must not open another.</summary>
    public static bool IsRunning { get; private set; }

    /// <summary>
    /// After a command failed with --fallback debug-shell: opens the prompt on stdin/stdout when a
    /// verification failed and debug-shell is permitted here; otherwise says why it is not.
    /// </summary>
    public static async Task OfferAsync(UpdateClient client, DebugShellContext context, string command, Exception failure, CancellationToken cancellationToken)
    {
        if (IsRunning || failure is not (VerificationException or NotInstalledException))
        {
            return;
        }

        var availability = client.CheckDebugShell(context.Target);
        if (availability.IsPermitted)
        {
            try
            {
                await RunAsync(client, context, Console.In, Console.Out, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Interrupted: the prompt ends; the command still exits with the original failure's code.
            }
        }
        else
        {
            await Console.Error.WriteLineAsync($"secure-update {command}: debug-shell was asked for and is not permitted ({availability.Reason}); acted as hard-reset.");
        }
    }

    /// <summary>Runs the prompt until <c>exit</c> or the end of input.</summary>
    public static async Task RunAsync(UpdateClient client, DebugShellContext context, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        IsRunning = true;
        try
        {
            await output.WriteLineAsync($"Debug shell for '{context.Target}'. Commands: {string.Join(", ", s_commands)}. Every line is recorded in the audit log.");
            var reader = new BoundedLineReader(input, MaxLineLength);
            while (!cancellationToken.IsCancellationRequested)
            {
                await output.WriteAsync(Prompt);
                await output.FlushAsync(cancellationToken);
                if (reader.ReadLine() is not var (line, tooLong))
                {
                    await output.WriteLineAsync();
                    return;
                }

                var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                var printable = Printable.Of(line.Trim()) + (tooLong ? "..." : "");
                if (words.Length == 0 && !tooLong)
                {
                    continue;
                }

                var refusal = tooLong ? $"longer than {MaxLineLength} characters"
                    : !s_commands.Contains(words[0], StringComparer.Ordinal) ? "not a command of this prompt"
                    : words.Length > 1 ? $"{words[0]} takes no arguments here"
                    : words[0] == "apply" && context.Feeds is null ? "no feed: this prompt was opened by verify; leave it and run secure-update apply --feed"
                    : null;
                try
                {
                    await client.RecordDebugShellCommandAsync(context.Target, printable, refusal, cancellationToken);
                }
                catch (SecureUpdateException ex)
                {
                    // A line that cannot be recorded is not run (the target stayed locked by another command).
                    await output.WriteLineAsync($"not run: '{printable}' could not be recorded in the audit log ({ex.Message})");
                    continue;
                }
                if (refusal is not null)
                {
                    await output.WriteLineAsync($"refused: '{printable}' is {(refusal.StartsWith("no feed", StringComparison.Ordinal) ? "not available" : "not allowed")} ({refusal}). Type help.");
                    continue;
                }

                switch (words[0])
                {
                    case "exit":
                        return;
                    case "help":
                        await output.WriteLineAsync(Help);
                        break;
                    default:
                        await output.FlushAsync(cancellationToken);
                        var exitCode = await CliApplication.RunAsync(Arguments(words[0], context));
                        await output.WriteLineAsync($"({words[0]} exited with {exitCode})");
                        break;
                }
            }
        }
        finally
        {
            IsRunning = false;
        }
    }

    private const string Help =
        """
        status    what is installed, current and the version floor
        verify    re-hash the current version against its signed manifest (nothing is switched)
        events    list the audit log
        apply     install the newest properly signed release from the feed (hard-reset on failure)
        rollback  switch to the newest earlier version that verifies
        help      this list
        exit      leave the prompt (so does end of input)
        """;

    /// <summary>The fixed argument vector of a command: only values from the command line that opened the prompt.</summary>
    private static string[] Arguments(string command, DebugShellContext context)
    {
        string[] target = [context.Target.Kind == TargetKind.File ? "--target-file" : "--target", context.Target.Path];
        return command switch
        {
            "status" => ["status", .. target],
            "events" => ["events", .. target],
            "verify" => ["verify", .. target, "--trust", context.TrustPath, "--fallback", "debug-shell"],
            "apply" => ["apply", .. target, "--trust", context.TrustPath, .. context.Feeds!.SelectMany(feed => new[] { "--feed", feed })],
            "rollback" => ["rollback", .. target, "--trust", context.TrustPath],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a prompt command"),
        };
    }
}
