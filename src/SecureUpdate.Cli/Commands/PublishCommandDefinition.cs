using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update publish --feed FEED --draft DIR [--trust FILE]</c></summary>
internal static class PublishCommandDefinition
{
    public static readonly Option<string> Feed = new("--feed") { Description = "The feed folder the draft was made for.", Required = true };

    public static readonly Option<string> Draft = new("--draft") { Description = "The draft folder written by 'release --draft' and signed with 'sign'.", Required = true };

    public static readonly Option<string?> Trust = new("--trust") { Description = "For a feed without a trust chain: the trust file whose keys must have signed the draft." };

    public static Command Create()
    {
        var command = new Command("publish", "Move a draft release into its feed once its manifest and channel pointer carry the release threshold of signatures.") { Feed, Draft, Trust };
        command.SetAction(PublishCommand.RunAsync);
        return command;
    }
}
