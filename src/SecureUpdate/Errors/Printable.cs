namespace SecureUpdate.Errors;

/// <summary>
/// Makes a value from outside (a path, an id, a version from a document) safe to put in a message:
/// control characters escaped and the length bounded, so nothing read can forge terminal output or log lines.
/// </summary>
internal static class Printable
{
    private const int MaxLength = 200;

    /// <summary><paramref name="value"/> made safe to print.</summary>
    public static string Of(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var builder = new System.Text.StringBuilder();
        foreach (var c in value.Length > MaxLength ? value[..MaxLength] : value)
        {
            _ = char.IsControl(c) ? builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : builder.Append(c);
        }

        return builder.ToString();
    }
}
