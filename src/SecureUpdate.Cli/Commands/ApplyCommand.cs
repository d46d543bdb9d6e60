using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Cli.Shell;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>apply</c>.</summary>
internal static class ApplyCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        if (!CommonOptions.TryGetDuration(parseResult, ApplyCommandDefinition.Timeout, output, "apply", out var deadline, out var exitCode)
            || !CommonOptions.TryGetDuration(parseResult, ApplyCommandDefinition.HealthTimeout, output, "apply", out var healthTimeout, out exitCode)
            || !CommonOptions.TryGetTarget(parseResult, ApplyCommandDefinition.Target, ApplyCommandDefinition.TargetFile, output, "apply", out var target, out var singleFile, out exitCode)
            || !CommonOptions.TryGetFallback(parseResult, ApplyCommandDefinition.Fallback, ApplyCommandDefinition.Allowlist, output, "apply", out var fallback, out var allowlist, out exitCode))
        {
            return exitCode;
        }

        if (singleFile && (parseResult.GetValue(ApplyCommandDefinition.StageOnly) || parseResult.GetValue(ApplyCommandDefinition.HealthCheck) is not null))
        {
            return output.UsageError("apply", "--stage-only and --health-check apply to --target folders, not to --target-file.");
        }

        await using var services = new ServiceCollection()
            .AddSecureUpdate(options =>
            {
                options.Deadline = deadline;
                options.AllowInsecureHttp = parseResult.GetValue(ApplyCommandDefinition.AllowHttp);
                options.Fallback = fallback;
                options.AllowlistPath = allowlist;
            })
            .BuildServiceProvider();
        var client = services.GetRequiredService<UpdateClient>();
        var trustPath = parseResult.GetValue(ApplyCommandDefinition.Trust)!;
        var feed = parseResult.GetValue(ApplyCommandDefinition.Feed)!;
        try
        {
            var trust = TrustRoot.Load(new FileSystem(), trustPath);
            var result = await client.ApplyAsync(
                new ApplyRequest
                {
                    Feed = feed,
                    Trust = trust,
                    Target = target,
                    SingleFile = singleFile,
                    App = parseResult.GetValue(ApplyCommandDefinition.App),
                    Channel = parseResult.GetValue(ApplyCommandDefinition.Channel),
                    StageOnly = parseResult.GetValue(ApplyCommandDefinition.StageOnly),
                    HealthCheck = parseResult.GetValue(ApplyCommandDefinition.HealthCheck),
                    HealthTimeout = healthTimeout,
                },
                cancellationToken);
            var outcome = result.Outcome.ToString().ToLowerInvariant();
            var line = result.Outcome switch
            {
                ApplyOutcome.Installed => $"Installed {result.App} {result.Version} ({result.FilesDownloaded} files downloaded, {result.BytesDownloaded} bytes).",
                ApplyOutcome.Staged => $"Staged {result.App} {result.Version} ({result.FilesDownloaded} files downloaded, {result.FilesReused} reused); current stays {result.PreviousVersion ?? "(none)"}.",
                ApplyOutcome.Updated => $"Updated {result.App} {result.PreviousVersion} -> {result.Version} ({result.FilesDownloaded} files downloaded, {result.FilesReused} reused, {result.BytesDownloaded} bytes).",
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
            exitCode = output.Failure("apply", ex);
            if (fallback == FallbackMode.DebugShell)
            {
                await DebugShellPrompt.OfferAsync(client, new DebugShellContext(target, singleFile, trustPath, feed), "apply", ex, cancellationToken);
            }

            return exitCode;
        }
    }
}
