using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
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
            await using var services = CliServices.Create();
            var trustPath = parseResult.GetValue(SwapCommandDefinition.Trust);
            var trust = trustPath is null ? null : TrustRoot.Load(services.GetRequiredService<IFileSystem>(), trustPath);
            var result = await services.GetRequiredService<UpdateClient>().SwapAsync(
                new SwapRequest
                {
                    Target = Target.Folder(parseResult.GetValue(SwapCommandDefinition.Target)!),
                    Trust = trust,
                    WaitPid = parseResult.GetValue(SwapCommandDefinition.WaitPid),
                    WaitTimeout = parseResult.GetValue(SwapCommandDefinition.WaitTimeout).Value,
                    Restart = parseResult.GetValue(SwapCommandDefinition.Restart),
                    HealthCheck = parseResult.GetValue(SwapCommandDefinition.HealthCheck),
                    HealthTimeout = parseResult.GetValue(SwapCommandDefinition.HealthTimeout).Value,
                    ConfirmWithin = parseResult.GetValue(SwapCommandDefinition.ConfirmWithin)?.Value,
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
