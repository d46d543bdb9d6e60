using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update trust publish --feed FEED FILE.json</c></summary>
internal static class TrustPublishCommandDefinition
{
    public static readonly Option<string> Feed = new("--feed") { Description = "The feed folder whose chain the root continues.", Required = true };

    public static readonly Argument<string> Document = new("FILE") { Description = "The signed trust root document (its signatures in FILE.sig)." };

    public static Command Create()
    {
        var command = new Command("publish", "Publish a signed trust root as FEED/trust/N.json: only the next version, signed by the root roles of the feed's newest root and of itself.") { Feed, Document };
        command.SetAction(TrustPublishCommand.Run);
        return command;
    }
}
