using System.CommandLine;

namespace SecureUpdate.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object on stdout instead of text.", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose") { Description = "On failure, also print the full exception.", Recursive = true };

    public static Option<string> Target() => new("--target") { Description = "The target folder.", Required = true };

    public static Option<string> Trust() => new("--trust") { Description = "A .pub file or a trust file with the pinned keys.", Required = true };

    public static CliOutput Output(ParseResult parseResult) =>
        new(Console.Out, Console.Error, parseResult.GetValue(Json), parseResult.GetValue(Verbose));
}
