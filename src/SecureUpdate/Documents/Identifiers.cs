namespace SecureUpdate.Documents;

/// <summary>App ids and channel names: 1–64 of <c>a-z 0-9 . _ -</c>, starting with a letter or digit. They become feed path segments.</summary>
internal static class Identifiers
{
    /// <summary>True when <paramref name="value"/> is a valid app id or channel name.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64 || !IsLowerAlphanumeric(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsLowerAlphanumeric(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        // ".." is already excluded by the first character rule only for the start; refuse it anywhere for clarity.
        return !value.Contains("..", StringComparison.Ordinal);
    }

    private static bool IsLowerAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
