using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Configuration;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>swap</c>.</summary>
internal static class SwapCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            if (!CommonOptions.TryGetDuration(parseResult, SwapCommandDefinition.WaitTimeout, output, "swap", out var waitTimeout, out var exitCode)
                || !CommonOptions.TryGetDuration(parseResult, SwapCommandDefinition.HealthTimeout, output, "swap", out var healthTimeout, out exitCode))
            {
                return exitCode;
            }

            TimeSpan? confirmWithin = null;
            if (parseResult.GetValue(SwapCommandDefinition.ConfirmWithin) is { } confirmText)
            {
                if (!DurationParser.TryParse(confirmText, out var window))
                {
                    return output.UsageError("swap", $"--confirm-within '{confirmText}' is not a duration such as 30s, 10m, 12h or 30d.");
                }

                confirmWithin = window;
            }

            var trustPath = parseResult.GetValue(SwapCommandDefinition.Trust);
            var trust = trustPath is null ? null : TrustRoot.Load(new FileSystem(), trustPath);
            await using var services = new ServiceCollection().AddSecureUpdate().BuildServiceProvider();
            var result = await services.GetRequiredService<UpdateClient>().SwapAsync(
                new SwapRequest
                {
                    Target = parseResult.GetValue(SwapCommandDefinition.Target)!,
                    Trust = trust,
                    WaitPid = parseResult.GetValue(SwapCommandDefinition.WaitPid),
                    WaitTimeout = waitTimeout,
                    Restart = parseResult.GetValue(SwapCommandDefinition.Restart),
                    HealthCheck = parseResult.GetValue(SwapCommandDefinition.HealthCheck),
                    HealthTimeout = healthTimeout,
                    ConfirmWithin = confirmWithin,
                },
                cancellationToken);
            var line = result.Outcome == ApplyOutcome.Current
                ? $"Nothing staged above {(result.Version.Length == 0 ? "(none)" : result.Version)}; nothing switched."
                : $"Swapped {result.App} {result.PreviousVersion ?? "(none)"} -> {result.Version}.";
            return output.Success(
                new CommandOutput
                {
                    Command = "swap",
                    Outcome = result.Outcome == ApplyOutcome.Current ? "current" : "swapped",
                    App = result.App,
                    Channel = result.Channel,
                    Version = result.Version.Length == 0 ? null : result.Version,
                    PreviousVersion = result.PreviousVersion,
                },
                line);
        }
        catch (Exception ex)
        {
            return output.Failure("swap", ex);
        }
    }
}
