using System.CommandLine.Parsing;
using SecureUpdate.Errors;

namespace SecureUpdate.Cli.Commands;

/// <summary>A version written as a git tag (<c>v1.2.0</c>) is refused with the hint to drop the <c>v</c>: versions are bare SemVer.</summary>
internal static class VersionHint
{
    /// <summary>The validator of a version option.</summary>
    public static void Validate(OptionResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (text.Length > 1 && text[0] is 'v' or 'V' && char.IsAsciiDigit(text[1]))
        {
            result.AddError($"{result.Option.Name} '{Printable.Of(text)}' is not a SemVer version: drop the leading '{text[0]}' ({Printable.Of(text[1..])}).");
        }
    }
}
