namespace SecureUpdate.Errors;

/// <content>Special files (named pipes, sockets, devices, folders) where a regular file must be.</content>
internal static partial class Error
{
    /// <summary>A local file (a key, a trust file, state) that is not a regular file; <paramref name="problem"/> says what it is.</summary>
    public static ConfigurationException NotRegularFile(string what, string path, string problem, Exception? inner = null) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{Printable.Of(path)}' {problem}; refusing to read it.", inner) { Path = path };

    /// <summary>A release input that is not a regular file: refused, never skipped, so a release never silently misses a file.</summary>
    public static ConfigurationException ReleaseInputNotRegular(string relativePath, string path, string problem, Exception? inner = null) =>
        new(ErrorCode.Config, UpdateStage.Release, $"The input '{Printable.Of(relativePath)}' {problem}; releases hold regular files only.", inner) { Path = path };

    /// <summary>A file in a folder feed that is not a regular file: a hostile feed, refused as tampered.</summary>
    public static VerificationException FeedFileNotRegular(UpdateStage stage, string relativePath, string problem) =>
        new(ErrorCode.HashMismatch, stage, $"'{Printable.Of(relativePath)}' in the feed {problem}; refusing to read it.") { Path = relativePath };
}
