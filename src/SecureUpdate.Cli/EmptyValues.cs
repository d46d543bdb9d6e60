using System.CommandLine;
using System.CommandLine.Parsing;

namespace SecureUpdate.Cli;

/// <summary>
/// No option or argument takes an empty value: an empty path, URL, id or command is always a mistake
/// (an unset shell variable, a stray pair of quotes), so it is a usage error before anything runs.
/// </summary>
internal static class EmptyValues
{
    /// <summary>The message for the first empty value on the parsed command line, or null when there is none.</summary>
    public static string? Find(ParseResult parseResult)
    {
        for (SymbolResult? result = parseResult.CommandResult; result is not null; result = result.Parent)
        {
            if (result is not CommandResult command)
            {
                continue;
            }

            foreach (var child in command.Children)
            {
                var (name, tokens) = child switch
                {
                    OptionResult option => (option.Option.Name, option.Tokens),
                    ArgumentResult argument => (argument.Argument.Name, argument.Tokens),
                    _ => ("", (IReadOnlyList<Token>)[]),
                };
                if (tokens.Any(token => string.IsNullOrWhiteSpace(token.Value)))
                {
                    return $"{name} is empty: give a value.";
                }
            }
        }

        return null;
    }
}
