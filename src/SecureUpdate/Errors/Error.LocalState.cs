namespace SecureUpdate.Errors;

/// <summary>Errors about what a target keeps locally: state, journal and audit log.</summary>
internal static partial class Error
{
    /// <summary>
    /// A version read from the target's own files (state, journal, a kept manifest's name) that is
    /// not a SemVer 2.0 version. Such a value would become a path, so nothing is used, removed or switched.
    /// </summary>
    public static ConfigurationException LocalVersionInvalid(string what, string path, string field, string? value) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The target's {what} '{Printable.Of(path)}' is damaged: it names {field} '{Printable.Of(value ?? "")}', which is not a version; nothing was changed.") { Path = path };

    /// <summary>A line of <c>events.log</c> longer than the cap: the log is damaged, and the line is not read into memory.</summary>
    public static string AuditLineTooLong(long line, int cap) =>
        $"line {line} is longer than {cap / 1024} KiB";

    /// <summary>A target with an installed version whose audit log is missing or empty.</summary>
    public static string AuditLogMissing(string what) =>
        $"{what}, but the target has an installed version: the log was removed or emptied";
}
