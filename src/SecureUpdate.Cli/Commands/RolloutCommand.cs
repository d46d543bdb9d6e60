using System.CommandLine;
using System.IO.Abstractions;
using SecureUpdate.Configuration;
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
            var expiresText = parseResult.GetValue(RolloutCommandDefinition.Expires)!;
            if (!DurationParser.TryParse(expiresText, out var expires))
            {
                return output.UsageError("rollout", $"--expires '{expiresText}' is not a duration such as 30s, 10m, 12h or 30d.");
            }

            var percent = parseResult.GetValue(RolloutCommandDefinition.Percent);
            var result = await new ReleasePublisher(new FileSystem(), TimeProvider.System).SetRolloutAsync(
                new RolloutRequest
                {
                    Feed = parseResult.GetValue(RolloutCommandDefinition.Feed)!,
                    App = parseResult.GetValue(RolloutCommandDefinition.App)!,
                    Channel = parseResult.GetValue(RolloutCommandDefinition.Channel)!,
                    Percent = percent,
                    KeyFiles = parseResult.GetValue(RolloutCommandDefinition.Key)!,
                    ExpiresIn = expires,
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
