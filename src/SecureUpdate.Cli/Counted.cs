using System.Globalization;

namespace SecureUpdate.Cli;

/// <summary>A count with its noun in the right number: <c>1 file</c>, <c>2 files</c>, <c>0 bytes</c>.</summary>
internal static class Counted
{
    /// <summary><paramref name="count"/> and <paramref name="singular"/>, with an <c>s</c> unless the count is one.</summary>
    public static string Of(long count, string singular) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : singular + "s");
}
