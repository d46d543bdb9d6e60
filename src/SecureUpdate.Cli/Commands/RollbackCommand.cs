using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>rollback</c>.</summary>
internal static class RollbackCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            var target = TargetOptions.Read(parseResult, RollbackCommandDefinition.Target, RollbackCommandDefinition.TargetFile);
            await using var services = CliServices.Create();
            var trustPath = parseResult.GetValue(RollbackCommandDefinition.Trust);
            var trust = trustPath is null ? null : TrustRoot.Load(services.GetRequiredService<IFileSystem>(), trustPath);
            var client = services.GetRequiredService<UpdateClient>();
            var result = await client.RollbackAsync(target, trust, cancellationToken);
            return output.Success(
                new CommandOutput { Command = "rollback", Outcome = "rolled-back", Version = result.Version, PreviousVersion = result.From },
                $"Rolled back {result.From} -> {result.Version}. {result.From} will not be installed again automatically; publish a newer release.");
        }
        catch (Exception ex)
        {
            return output.Failure("rollback", ex);
        }
    }
}
