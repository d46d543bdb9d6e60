using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Configuration;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>apply</c>.</summary>
internal static class ApplyCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            var timeoutText = parseResult.GetValue(ApplyCommandDefinition.Timeout)!;
            if (!DurationParser.TryParse(timeoutText, out var deadline))
            {
                return output.UsageError("apply", $"--timeout '{timeoutText}' is not a duration such as 30s, 10m, 12h or 30d.");
            }

            var trust = TrustRoot.Load(new FileSystem(), parseResult.GetValue(ApplyCommandDefinition.Trust)!);
            var services = new ServiceCollection()
                .AddSecureUpdate(options =>
                {
                    options.Deadline = deadline;
                    options.AllowInsecureHttp = parseResult.GetValue(ApplyCommandDefinition.AllowHttp);
                })
                .BuildServiceProvider();
            await using (services)
            {
                var client = services.GetRequiredService<UpdateClient>();
                var result = await client.ApplyAsync(
                    new ApplyRequest
                    {
                        Feed = parseResult.GetValue(ApplyCommandDefinition.Feed)!,
                        Trust = trust,
                        Target = parseResult.GetValue(ApplyCommandDefinition.Target)!,
                        App = parseResult.GetValue(ApplyCommandDefinition.App),
                        Channel = parseResult.GetValue(ApplyCommandDefinition.Channel),
                    },
                    cancellationToken);
                var outcome = result.Outcome.ToString().ToLowerInvariant();
                var line = result.Outcome switch
                {
                    ApplyOutcome.Installed => $"Installed {result.App} {result.Version} ({result.FilesDownloaded} files downloaded, {result.BytesDownloaded} bytes).",
                    ApplyOutcome.Updated => $"Updated {result.App} {result.PreviousVersion} -> {result.Version} ({result.FilesDownloaded} files downloaded, {result.FilesReused} reused, {result.BytesDownloaded} bytes).",
                    _ => $"{result.App} {result.Version} is current; nothing to do.",
                };
                return output.Success(
                    new CommandOutput
                    {
                        Command = "apply",
                        Outcome = outcome,
                        App = result.App,
                        Channel = result.Channel,
                        Version = result.Version,
                        PreviousVersion = result.PreviousVersion,
                        FilesDownloaded = result.FilesDownloaded,
                        FilesReused = result.FilesReused,
                        BytesDownloaded = result.BytesDownloaded,
                    },
                    line);
            }
        }
        catch (Exception ex)
        {
            return output.Failure("apply", ex);
        }
    }
}
