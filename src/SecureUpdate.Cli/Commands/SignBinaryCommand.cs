using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>sign-binary</c>.</summary>
internal static class SignBinaryCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            using var services = CliServices.Create();
            var result = services.GetRequiredService<BinarySigner>().Sign(parseResult.GetValue(SignBinaryCommandDefinition.File)!, parseResult.GetValue(SignBinaryCommandDefinition.Key)!);
            return output.Success(
                new CommandOutput { Command = "sign-binary", Outcome = "signed", File = result.File, KeyIds = result.KeyIds, PayloadBytes = result.PayloadBytes },
                $"Signed {result.File} with {Counted.Of(result.KeyIds.Count, "key")} ({string.Join(", ", result.KeyIds)}); the signatures cover its first {Counted.Of(result.PayloadBytes, "byte")}{(result.Replaced ? " and replace the trailer it carried" : "")}.");
        }
        catch (Exception ex)
        {
            return output.Failure("sign-binary", ex);
        }
    }
}
