using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary>
/// <c>secure-update trust init --out FILE --root-key PUB [...] [--root-threshold K] --release-key PUB [...]
/// [--release-threshold K] [--verify-only-key PUB ...] [--expires DURATION] [--feed FEED]</c>
/// </summary>
internal static class TrustInitCommandDefinition
{
    public static readonly Option<string> Out = new("--out") { Description = "Where to write the new, unsigned trust root document (never overwritten).", Required = true };

    public static readonly Option<string[]> RootKey = new("--root-key") { Description = "A .pub file of the root role, which signs trust roots; repeat for several.", Required = true };

    public static readonly Option<int> RootThreshold = new("--root-threshold") { Description = "How many root keys must sign a trust root.", DefaultValueFactory = _ => 1 };

    public static readonly Option<string[]> ReleaseKey = new("--release-key") { Description = "A .pub file of the release role, which signs manifests and channel pointers; repeat for several.", Required = true };

    public static readonly Option<int> ReleaseThreshold = new("--release-threshold") { Description = "How many release keys must sign a release.", DefaultValueFactory = _ => 1 };

    public static readonly Option<string[]> VerifyOnlyKey = new("--verify-only-key") { Description = "A retired release key (.pub): it still verifies installed versions, never a new release; repeat for several." };

    public static readonly Option<Duration> Expires = DurationOption.Create("--expires", "How long the root is valid; clients stop updating after that: 30d, 365d.", defaultValue: "365d", max: DurationOption.ClockMax);

    public static readonly Option<string?> Feed = new("--feed") { Description = "A feed folder whose chain this root continues: its version is the feed's newest + 1 (default: version 1)." };

    public static Command Create()
    {
        var command = new Command("init", "Write a new, unsigned trust root document; the flags say the whole root.") { Out, RootKey, RootThreshold, ReleaseKey, ReleaseThreshold, VerifyOnlyKey, Expires, Feed };
        command.SetAction(TrustInitCommand.Run);
        return command;
    }
}
