using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Cli.Shell;
using SecureUpdate.Configuration;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>verify</c>.</summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        var fallback = parseResult.GetValue(VerifyCommandDefinition.Fallback);
        await using var services = CliServices.Create(options =>
        {
            options.Fallback = fallback;
            options.AllowlistPath = parseResult.GetValue(VerifyCommandDefinition.Allowlist);
        });
        UpdateClient? client = null;
        Target? target = null;
        var trustPath = parseResult.GetValue(VerifyCommandDefinition.Trust)!;
        try
        {
            // Inside the try: resolving the client validates the options, which can refuse a value from the command line.
            client = services.GetRequiredService<UpdateClient>();
            target = TargetOptions.Read(parseResult, VerifyCommandDefinition.Target, VerifyCommandDefinition.TargetFile);
            var trust = TrustRoot.Load(services.GetRequiredService<IFileSystem>(), trustPath);
            var result = await client.VerifyAsync(target, trust, cancellationToken);
            return output.Success(
                new CommandOutput { Command = "verify", Outcome = "verified", Version = result.Version, Files = result.FilesVerified, Bytes = result.BytesVerified },
                $"Verified {result.Version}: {Counted.Of(result.FilesVerified, "file")}, {Counted.Of(result.BytesVerified, "byte")} match the signed manifest.");
        }
        catch (Exception ex)
        {
            var exitCode = output.Failure("verify", ex);
            if (client is not null && target is not null && fallback == FallbackMode.DebugShell)
            {
                await DebugShellPrompt.OfferAsync(client, new DebugShellContext(target, trustPath, Feeds: null), "verify", ex, cancellationToken);
            }

            return exitCode;
        }
    }
}
