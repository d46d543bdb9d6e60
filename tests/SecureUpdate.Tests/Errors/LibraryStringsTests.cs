using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace SecureUpdate.Tests.Errors;

/// <summary>
/// Library messages are for every caller, so they name settings, never the command line's flags: the
/// <c>secure-update</c> command adds its own hints. Read from the compiled library's string literals.
/// </summary>
public sealed partial class LibraryStringsTests
{
    /// <summary>The one place the library speaks the command line: the companion it starts (<c>Agent/CompanionCommand</c>).</summary>
    private static readonly string[] s_companionCommandLine = ["swap --target", "--wait-pid", "--restart", "--confirm-within"];

    [Fact]
    public void LibraryStringLiterals_NameNoCommandLineFlag_OutsideTheCompanionCommandLine()
    {
        var flagged = UserStrings(typeof(UpdateClient).Assembly.Location).Where(s => Flag().IsMatch(s)).ToList();

        flagged.Should().NotBeEmpty("the check must see the library's strings at all (the companion command line is among them)");
        flagged.Should().BeEquivalentTo(s_companionCommandLine, "messages name settings (ConfigurationException.Setting), not flags");
    }

    private static List<string> UserStrings(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var strings = new List<string>();
        var handle = MetadataTokens.UserStringHandle(1);
        while (!handle.IsNil)
        {
            strings.Add(reader.GetUserString(handle));
            handle = reader.GetNextHandle(handle);
        }

        return strings;
    }

    [GeneratedRegex(@"(^|[\s(""'])--[a-z]")]
    private static partial Regex Flag();
}
