using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>trust init</c>.</summary>
internal static class TrustInitCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            using var services = CliServices.Create();
            var result = services.GetRequiredService<TrustPublisher>().Init(new TrustInitRequest
            {
                Out = parseResult.GetValue(TrustInitCommandDefinition.Out)!,
                RootKeys = parseResult.GetValue(TrustInitCommandDefinition.RootKey)!,
                RootThreshold = parseResult.GetValue(TrustInitCommandDefinition.RootThreshold),
                ReleaseKeys = parseResult.GetValue(TrustInitCommandDefinition.ReleaseKey)!,
                ReleaseThreshold = parseResult.GetValue(TrustInitCommandDefinition.ReleaseThreshold),
                VerifyOnlyKeys = parseResult.GetValue(TrustInitCommandDefinition.VerifyOnlyKey) ?? [],
                ExpiresIn = parseResult.GetValue(TrustInitCommandDefinition.Expires).Value,
                Feed = parseResult.GetValue(TrustInitCommandDefinition.Feed),
            });
            var trust = TrustOutput.Of(result.Root);
            return output.Success(
                new CommandOutput { Command = "trust init", Outcome = "written", Document = result.Path, TrustVersion = result.Root.Version, Trust = trust },
                [$"Wrote trust root {result.Root.Version} to {result.Path} (unsigned: each root key holder adds a signature with 'secure-update sign').", .. trust.Lines()]);
        }
        catch (Exception ex)
        {
            return output.Failure("trust init", ex);
        }
    }
}
