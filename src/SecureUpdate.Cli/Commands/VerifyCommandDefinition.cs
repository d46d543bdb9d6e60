using System.CommandLine;
using SecureUpdate.Configuration;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>secure-update verify --target DIR|--target-file PATH --trust FILE [--fallback MODE] [--allowlist FILE]</c></summary>
internal static class VerifyCommandDefinition
{
    public static readonly Option<string?> Target = TargetOptions.Target();

    public static readonly Option<string?> TargetFile = TargetOptions.TargetFile("Single-file mode: the executable to re-hash against its signed manifest.");

    public static readonly Option<string> Trust = CommonOptions.Trust();

    public static readonly Option<FallbackMode> Fallback = FallbackOptions.Fallback();

    public static readonly Option<string?> Allowlist = FallbackOptions.Allowlist();

    public static Command Create()
    {
        var command = new Command("verify", "Re-hash the installed version against its signed manifest.") { Target, TargetFile, Trust, Fallback, Allowlist };
        TargetOptions.AddExactlyOneValidator(command, Target, TargetFile);
        FallbackOptions.AddCombinationValidator(command, Fallback, Allowlist);
        command.SetAction(VerifyCommand.RunAsync);
        return command;
    }
}
