using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace SecureUpdate.Cli;

/// <summary><c>--help</c>: the usual help, then the command's examples (<see cref="HelpExamples"/>).</summary>
internal sealed class ExamplesHelpAction : SynchronousCommandLineAction
{
    private readonly HelpAction _help;

    public ExamplesHelpAction(HelpAction help) => _help = help;

    /// <summary>As for the usual help: --help works on a command line that is otherwise incomplete.</summary>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exitCode = _help.Invoke(parseResult);
        var examples = HelpExamples.For(parseResult.CommandResult.Command);
        if (examples.Count > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        return exitCode;
    }
}
