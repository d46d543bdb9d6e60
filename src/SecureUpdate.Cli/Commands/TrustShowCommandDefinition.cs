using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update trust show (--feed FEED | --target DIR | --target-file PATH | FILE)</c></summary>
internal static class TrustShowCommandDefinition
{
    public static readonly Option<string?> Feed = new("--feed") { Description = "A feed folder: its newest root, its chain verified from root 1." };

    public static readonly Option<string?> Target = TargetOptions.Target();

    public static readonly Option<string?> TargetFile = TargetOptions.TargetFile("Single-file mode: show the trust root pinned for this executable.");

    public static readonly Argument<string?> File = new("FILE") { Description = "A .pub file, a trust file or a trust root document.", Arity = ArgumentArity.ZeroOrOne };

    public static Command Create()
    {
        var command = new Command("show", "Show a trust root: its version, expiry, roles, keys and thresholds.") { Feed, Target, TargetFile, File };
        command.Validators.Add(result =>
        {
            var given = new[] { result.GetResult(Feed) is not null, result.GetResult(Target) is not null, result.GetResult(TargetFile) is not null, result.GetResult(File) is not null }.Count(g => g);
            if (given != 1)
            {
                result.AddError("Give exactly one of --feed FEED, --target DIR, --target-file PATH or FILE.");
            }
        });
        command.SetAction(TrustShowCommand.Run);
        return command;
    }
}
