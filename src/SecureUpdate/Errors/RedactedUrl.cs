namespace SecureUpdate.Errors;

/// <summary>
/// Hides the credentials of a location before it is printed: <c>ftp://user:secret@host/</c> becomes
/// <c>ftp://user:***@host/</c>, and a bare token (<c>https://token@host/</c>) becomes <c>***</c>. Works on
/// text that is not a valid URL too, because the values that fail to parse are the ones echoed in errors.
/// </summary>
internal static class RedactedUrl
{
    /// <summary><paramref name="value"/> with any userinfo secret replaced by <c>***</c>.</summary>
    public static string Of(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // Only a location with a scheme has userinfo; a folder name may well hold an '@'.
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return value;
        }

        var start = scheme + 3;

        // The authority ends at the first '/', '?' or '#'; its userinfo ends at the last '@' inside it.
        var end = value.IndexOfAny(['/', '?', '#', '\\'], start);
        var authority = end < 0 ? value.AsSpan(start) : value.AsSpan(start, end - start);
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return value;
        }

        var userInfo = authority[..at];
        var colon = userInfo.IndexOf(':');
        var redacted = colon < 0 ? "***" : string.Concat(userInfo[..colon], ":***");
        return string.Concat(value.AsSpan(0, start), redacted, value.AsSpan(start + at));
    }
}
