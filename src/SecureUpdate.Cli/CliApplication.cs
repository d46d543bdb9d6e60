using System.CommandLine;
using SecureUpdate.Cli.Commands;

namespace SecureUpdate.Cli;

/// <summary>Builds the command tree, turns parse errors (including those of option parsers and command validators) into exit code 2, and runs the chosen command.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("secure-update: install and update software so that what is on disk is exactly a release its publisher signed.")
        {
            KeygenCommandDefinition.Create(),
            ReleaseCommandDefinition.Create(),
            ApplyCommandDefinition.Create(),
            VerifyCommandDefinition.Create(),
            StatusCommandDefinition.Create(),
            SwapCommandDefinition.Create(),
            RollbackCommandDefinition.Create(),
            RolloutCommandDefinition.Create(),
            EventsCommandDefinition.Create(),
            TrustCommandDefinition.Create(),
            SignCommandDefinition.Create(),
            SignBinaryCommandDefinition.Create(),
            VerifyBinaryCommandDefinition.Create(),
            RunCommandDefinition.Create(),
            PublishCommandDefinition.Create(),
        };
        root.Options.Add(CommonOptions.Json);
        root.Options.Add(CommonOptions.Verbose);

        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        help.Action = new ExamplesHelpAction((System.CommandLine.Help.HelpAction)help.Action!);

        var parseResult = root.Parse(args);
        if ((parseResult.Errors.Count > 0 ? parseResult.Errors[0].Message : parseResult.Action == help.Action ? null : EmptyValues.Find(parseResult)) is { } error)
        {
            var command = CommandPath(parseResult.CommandResult);
            var output = new CliOutput(Console.Out, Console.Error, args.Contains("--json"), verbose: false);
            return output.UsageError(command, error + " (see --help)");
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>The command's name as typed, subcommands included (<c>trust init</c>); empty for the root.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current?.Parent is System.CommandLine.Parsing.CommandResult parent; current = parent)
        {
            names.Insert(0, current.Command.Name);
        }

        return string.Join(' ', names);
    }
}
