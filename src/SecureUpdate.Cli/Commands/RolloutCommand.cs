using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>rollout</c>.</summary>
internal static class RolloutCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            await using var services = CliServices.Create();
            var percent = parseResult.GetValue(RolloutCommandDefinition.Percent);
            var result = await services.GetRequiredService<ReleasePublisher>().SetRolloutAsync(
                new RolloutRequest
                {
                    Feed = parseResult.GetValue(RolloutCommandDefinition.Feed)!,
                    App = parseResult.GetValue(RolloutCommandDefinition.App)!,
                    Channel = parseResult.GetValue(RolloutCommandDefinition.Channel)!,
                    Percent = percent,
                    KeyFiles = parseResult.GetValue(RolloutCommandDefinition.Key)!,
                    ExpiresIn = parseResult.GetValue(RolloutCommandDefinition.Expires).Value,
                },
                cancellationToken);
            return output.Success(
                new CommandOutput { Command = "rollout", Outcome = "rolled-out", App = result.App, Channel = result.Channel, Version = result.Version, Rollout = percent, Expires = result.Expires },
                $"{result.App} {result.Version} on channel '{result.Channel}' is now rolled out to {percent}% of hosts (expires {result.Expires:u}).");
        }
        catch (Exception ex)
        {
            return output.Failure("rollout", ex);
        }
    }
}
