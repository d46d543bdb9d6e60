using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Errors;
using SecureUpdate.Publishing;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>trust show</c>.</summary>
internal static class TrustShowCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            using var services = CliServices.Create();
            var root = Read(parseResult, services);
            var trust = TrustOutput.Of(root);
            return output.Success(new CommandOutput { Command = "trust show", Outcome = "shown", TrustVersion = root.Version, Trust = trust }, [.. trust.Lines()]);
        }
        catch (Exception ex)
        {
            return output.Failure("trust show", ex);
        }
    }

    private static TrustRoot Read(ParseResult parseResult, IServiceProvider services)
    {
        if (parseResult.GetValue(TrustShowCommandDefinition.Feed) is { } feed)
        {
            return services.GetRequiredService<TrustPublisher>().ReadFeed(feed)
                ?? throw Error.Usage($"The feed '{Printable.Of(RedactedUrl.Of(feed))}' has no trust chain (no trust/1.json).");
        }

        if (parseResult.GetValue(TrustShowCommandDefinition.File) is { } file)
        {
            return TrustRoot.Load(services.GetRequiredService<IFileSystem>(), file);
        }

        var target = TargetOptions.Read(parseResult, TrustShowCommandDefinition.Target, TrustShowCommandDefinition.TargetFile);
        return services.GetRequiredService<UpdateClient>().GetPinnedTrust(target);
    }
}
