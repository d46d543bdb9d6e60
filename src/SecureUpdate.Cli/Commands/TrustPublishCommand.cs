using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>trust publish</c>.</summary>
internal static class TrustPublishCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            using var services = CliServices.Create();
            var result = services.GetRequiredService<TrustPublisher>().Publish(parseResult.GetValue(TrustPublishCommandDefinition.Feed)!, parseResult.GetValue(TrustPublishCommandDefinition.Document)!);
            var trust = TrustOutput.Of(result.Root);
            return output.Success(
                new CommandOutput { Command = "trust publish", Outcome = "published", Document = result.Path, TrustVersion = result.Root.Version, Trust = trust },
                [$"Published trust root {result.Root.Version} as {result.Path}.", .. trust.Lines()]);
        }
        catch (Exception ex)
        {
            return output.Failure("trust publish", ex);
        }
    }
}
