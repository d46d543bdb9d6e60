using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary><c>--target DIR</c> and <c>--target-file PATH</c>, and the rule that a command takes exactly one of them.</summary>
internal static class TargetOptions
{
    public const string ExactlyOneMessage = "Give exactly one of --target DIR or --target-file PATH.";

    /// <summary><c>--target</c> for a command that works on folders only.</summary>
    public static Option<string> RequiredTarget() => new("--target") { Description = "The target folder.", Required = true };

    /// <summary><c>--target</c> for a command that also takes <c>--target-file</c>.</summary>
    public static Option<string?> Target() => new("--target") { Description = "The target folder." };

    /// <summary><c>--target-file</c>, described by what this command does with the file.</summary>
    public static Option<string?> TargetFile(string description = "Single-file mode: the one executable (state beside it in .NAME.secure-update/).") =>
        new("--target-file") { Description = description };

    /// <summary>Adds the validator that refuses both options together, or neither.</summary>
    public static void AddExactlyOneValidator(Command command, Option<string?> target, Option<string?> targetFile) =>
        command.Validators.Add(result =>
        {
            if ((result.GetResult(target) is null) == (result.GetResult(targetFile) is null))
            {
                result.AddError(ExactlyOneMessage);
            }
        });

    /// <summary>The target the validated command line names: a folder, or the file of a single-file target.</summary>
    /// <exception cref="ConfigurationException">The path is empty or not a path.</exception>
    public static Target Read(ParseResult parseResult, Option<string?> target, Option<string?> targetFile) =>
        parseResult.GetValue(targetFile) is { } file ? SecureUpdate.Target.File(file) : SecureUpdate.Target.Folder(parseResult.GetValue(target)!);
}
