using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>publish</c>.</summary>
internal static class PublishCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            await using var services = CliServices.Create();
            var trust = parseResult.GetValue(PublishCommandDefinition.Trust) is { } path ? TrustRoot.Load(services.GetRequiredService<IFileSystem>(), path) : null;
            var result = await services.GetRequiredService<ReleasePublisher>().PublishDraftAsync(
                new PublishDraftRequest { Feed = parseResult.GetValue(PublishCommandDefinition.Feed)!, Draft = parseResult.GetValue(PublishCommandDefinition.Draft)!, Trust = trust },
                cancellationToken);
            return output.Success(
                new CommandOutput { Command = "publish", Outcome = "released", App = result.App, Channel = result.Channel, Version = result.Version, ManifestSha256 = result.ManifestSha256, Files = result.Files, Bytes = result.TotalBytes, Expires = result.Expires },
                $"Published the draft of {result.App} {result.Version} to channel '{result.Channel}': {Counted.Of(result.Files, "file")}, {Counted.Of(result.TotalBytes, "byte")}.");
        }
        catch (Exception ex)
        {
            return output.Failure("publish", ex);
        }
    }
}
