using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>verify</c>.</summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            if (!CommonOptions.TryGetTarget(parseResult, VerifyCommandDefinition.Target, VerifyCommandDefinition.TargetFile, output, "verify", out var target, out var singleFile, out var exitCode))
            {
                return exitCode;
            }

            var trust = TrustRoot.Load(new FileSystem(), parseResult.GetValue(VerifyCommandDefinition.Trust)!);
            await using var services = new ServiceCollection().AddSecureUpdate().BuildServiceProvider();
            var client = services.GetRequiredService<UpdateClient>();
            var result = singleFile ? await client.VerifyFileAsync(target, trust, cancellationToken) : await client.VerifyAsync(target, trust, cancellationToken);
            return output.Success(
                new CommandOutput { Command = "verify", Outcome = "verified", Version = result.Version, Files = result.FilesVerified, Bytes = result.BytesVerified },
                $"Verified {result.Version}: {result.FilesVerified} files, {result.BytesVerified} bytes match the signed manifest.");
        }
        catch (Exception ex)
        {
            return output.Failure("verify", ex);
        }
    }
}
