using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update trust init|publish|show</c>: versioned trust roots, their rotation and publication.</summary>
internal static class TrustCommandDefinition
{
    public static Command Create() =>
        new("trust", "Trust roots: write a new root, publish a signed one into a feed, show one.")
        {
            TrustInitCommandDefinition.Create(),
            TrustPublishCommandDefinition.Create(),
            TrustShowCommandDefinition.Create(),
        };
}
