using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update verify --target DIR|--target-file PATH --trust FILE [--fallback MODE] [--allowlist FILE]</c></summary>
internal static class VerifyCommandDefinition
{
    public static readonly Option<string?> Target = CommonOptions.OptionalTarget();

    public static readonly Option<string?> TargetFile = CommonOptions.TargetFile();

    public static readonly Option<string> Trust = CommonOptions.Trust();

    public static readonly Option<string> Fallback = CommonOptions.Fallback();

    public static readonly Option<string?> Allowlist = CommonOptions.Allowlist();

    public static Command Create()
    {
        var command = new Command("verify", "Re-hash the installed version against its signed manifest.") { Target, TargetFile, Trust, Fallback, Allowlist };
        command.SetAction(VerifyCommand.RunAsync);
        return command;
    }
}
