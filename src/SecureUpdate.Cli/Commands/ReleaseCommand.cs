using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>release</c>.</summary>
internal static class ReleaseCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            await using var services = CliServices.Create();
            var fileSystem = services.GetRequiredService<IFileSystem>();
            LocalFolders.RequireNotAFile(fileSystem, "--feed", parseResult.GetValue(ReleaseCommandDefinition.Feed)!);
            LocalFolders.RequireUtf8Names(fileSystem, "--input", parseResult.GetValue(ReleaseCommandDefinition.Input)!);
            var publisher = services.GetRequiredService<ReleasePublisher>();
            var result = await publisher.PublishAsync(
                new ReleaseRequest
                {
                    Feed = parseResult.GetValue(ReleaseCommandDefinition.Feed)!,
                    App = parseResult.GetValue(ReleaseCommandDefinition.App)!,
                    Version = parseResult.GetValue(ReleaseCommandDefinition.Version)!,
                    Input = parseResult.GetValue(ReleaseCommandDefinition.Input)!,
                    KeyFiles = parseResult.GetValue(ReleaseCommandDefinition.Key) ?? [],
                    Draft = parseResult.GetValue(ReleaseCommandDefinition.Draft),
                    Channel = parseResult.GetValue(ReleaseCommandDefinition.Channel)!,
                    ExpiresIn = parseResult.GetValue(ReleaseCommandDefinition.Expires).Value,
                    RolloutPercent = parseResult.GetValue(ReleaseCommandDefinition.Rollout),
                },
                cancellationToken);
            return output.Success(
                new CommandOutput
                {
                    Command = "release",
                    Outcome = "released",
                    App = result.App,
                    Channel = result.Channel,
                    Version = result.Version,
                    ManifestSha256 = result.ManifestSha256,
                    Files = result.Files,
                    Bytes = result.TotalBytes,
                    Expires = result.Expires,
                    Rollout = parseResult.GetValue(ReleaseCommandDefinition.Rollout) ?? 100,
                },
                $"Released {result.App} {result.Version} to channel '{result.Channel}': {Counted.Of(result.Files, "file")}, {Counted.Of(result.TotalBytes, "byte")}, {Counted.Of(result.NewBlobs, "new blob")}.",
                $"  manifest sha256: {result.ManifestSha256}",
                $"  expires: {result.Expires:u}");
        }
        catch (Exception ex)
        {
            return output.Failure("release", ex);
        }
    }
}
