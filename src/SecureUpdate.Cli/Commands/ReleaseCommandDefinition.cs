using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update release --feed DIR --app ID --version SEMVER --input DIR (--key FILE.key [...] | --draft DIR [--key ...]) [--rollout PERCENT]</c></summary>
internal static class ReleaseCommandDefinition
{
    public static readonly Option<string> Feed = new("--feed") { Description = "Feed folder to add the release to (created if missing).", Required = true };

    public static readonly Option<string> App = new("--app") { Description = "App id.", Required = true };

    public static readonly Option<string> Version = new("--version") { Description = "SemVer 2.0 version, newer than the channel's releases.", Required = true };

    public static readonly Option<string> Input = new("--input") { Description = "Folder whose files make up the release.", Required = true };

    public static readonly Option<string[]> Key = new("--key") { Description = "Key to sign with (a key file, an encrypted key file, or a reference to a key in an HSM); repeat for several. Optional with --draft." };

    public static readonly Option<string> Channel = new("--channel") { Description = "Channel.", DefaultValueFactory = _ => "stable" };

    public static readonly Option<Duration> Expires = CommonOptions.Expires("Validity of the manifest and channel pointer: 30s, 10m, 12h, 30d.");

    public static readonly Option<string?> Draft = new("--draft") { Description = "k-of-n on separate machines: store the payloads in the feed but write the manifest and channel pointer to this folder; each signer runs 'sign', then 'publish' moves them in." };

    public static readonly Option<int?> Rollout = new("--rollout") { Description = "Staged rollout: the percentage of hosts (0-100) whose agents take this version; default all. Raise it later with 'rollout'." };

    public static Command Create()
    {
        var command = new Command("release", "Sign a folder into a static feed and point the channel at it.") { Feed, App, Version, Input, Key, Channel, Expires, Rollout, Draft };
        Version.Validators.Add(VersionHint.Validate);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Key) is null && result.GetResult(Draft) is null)
            {
                result.AddError("Give --key FILE (repeat for several), or --draft DIR to sign on separate machines.");
            }
        });
        command.SetAction(ReleaseCommand.RunAsync);
        return command;
    }
}
