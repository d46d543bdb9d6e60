using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Cli.Shell;
using SecureUpdate.Configuration;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>apply</c>.</summary>
internal static class ApplyCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        var fallback = parseResult.GetValue(ApplyCommandDefinition.Fallback);
        await using var services = CliServices.Create(options =>
        {
            options.Deadline = parseResult.GetValue(ApplyCommandDefinition.Timeout).Value;
            options.AllowInsecureHttp = parseResult.GetValue(ApplyCommandDefinition.AllowHttp);
            options.Fallback = fallback;
            options.AllowlistPath = parseResult.GetValue(ApplyCommandDefinition.Allowlist);
            options.HardLinkUnchangedFiles = !parseResult.GetValue(ApplyCommandDefinition.NoHardLinks);
        });
        UpdateClient? client = null;
        Target? target = null;
        TerminalProgress? progress = null;
        var trustPath = parseResult.GetValue(ApplyCommandDefinition.Trust)!;
        var feeds = parseResult.GetValue(ApplyCommandDefinition.Feed)!;
        try
        {
            // Inside the try: resolving the client validates the options, which can refuse a value from the command line.
            client = services.GetRequiredService<UpdateClient>();
            target = TargetOptions.Read(parseResult, ApplyCommandDefinition.Target, ApplyCommandDefinition.TargetFile);
            var trust = TrustRoot.Load(services.GetRequiredService<IFileSystem>(), trustPath);
            progress = TerminalProgress.ForStandardError(parseResult.GetValue(ApplyCommandDefinition.NoProgress), services.GetRequiredService<TimeProvider>());
            var result = await client.ApplyAsync(
                new ApplyRequest
                {
                    Feed = feeds.Length == 1 ? feeds[0] : null,
                    Feeds = feeds.Length == 1 ? null : feeds,
                    Trust = trust,
                    Target = target,
                    App = parseResult.GetValue(ApplyCommandDefinition.App),
                    Channel = parseResult.GetValue(ApplyCommandDefinition.Channel),
                    StageOnly = parseResult.GetValue(ApplyCommandDefinition.StageOnly),
                    ReplaceTrust = parseResult.GetValue(ApplyCommandDefinition.ReplaceTrust),
                    HealthCheck = parseResult.GetValue(ApplyCommandDefinition.HealthCheck),
                    HealthTimeout = parseResult.GetValue(ApplyCommandDefinition.HealthTimeout).Value,
                    Progress = progress,
                },
                cancellationToken);
            progress?.Finish();
            var outcome = result.Outcome.ToString().ToLowerInvariant();
            var line = result.Outcome switch
            {
                ApplyOutcome.Installed => $"Installed {result.App} {result.Version} ({Counted.Of(result.FilesDownloaded, "file")} downloaded, {Counted.Of(result.BytesDownloaded, "byte")}).",
                ApplyOutcome.Staged => $"Staged {result.App} {result.Version} ({Counted.Of(result.FilesDownloaded, "file")} downloaded, {result.FilesReused} reused); current stays {result.PreviousVersion ?? "(none)"}.",
                ApplyOutcome.Updated => $"Updated {result.App} {result.PreviousVersion} -> {result.Version} ({Counted.Of(result.FilesDownloaded, "file")} downloaded, {result.FilesReused} reused, {Counted.Of(result.BytesDownloaded, "byte")}).",
                _ when result.PreviousVersion is null => $"{result.App} {result.Version} was rolled back on this target; nothing to do until a newer release is published.",
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
        catch (Exception ex)
        {
            // The error line starts on a line of its own, below the bar where it stopped.
            progress?.Finish();
            var exitCode = output.Failure("apply", ex);
            if (client is not null && target is not null && fallback == FallbackMode.DebugShell)
            {
                await DebugShellPrompt.OfferAsync(client, new DebugShellContext(target, trustPath, feeds), "apply", ex, cancellationToken);
            }

            return exitCode;
        }
    }
}
