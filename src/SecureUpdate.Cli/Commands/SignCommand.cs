using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>sign</c>.</summary>
internal static class SignCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            using var services = CliServices.Create();
            var result = services.GetRequiredService<Cosigner>().Sign(parseResult.GetValue(SignCommandDefinition.Document)!, parseResult.GetValue(SignCommandDefinition.Key)!);
            return output.Success(
                new CommandOutput { Command = "sign", Outcome = "signed", Document = result.Document, Kind = result.Kind, KeyId = result.KeyId, Signatures = result.Signatures },
                $"Signed the {result.Kind} {result.Document} with key {result.KeyId}; it carries {result.Signatures} signature(s).");
        }
        catch (Exception ex)
        {
            return output.Failure("sign", ex);
        }
    }
}
