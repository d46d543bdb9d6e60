namespace SecureUpdate.Errors;

/// <content>Local files: keys, trust, state, control files.</content>
internal static partial class Error
{
    /// <summary>A local file larger than its cap.</summary>
    public static ConfigurationException FileTooLarge(string what, string path, long cap) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{Printable.Of(path)}' is larger than {cap} bytes.") { Path = path };

    /// <summary>A local file that is missing or cannot be read.</summary>
    public static ConfigurationException FileUnreadable(string what, string path, Exception inner) =>
        inner is FileNotFoundException or DirectoryNotFoundException
            ? new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{Printable.Of(path)}' does not exist.", inner) { Path = path }
            : new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{Printable.Of(path)}' cannot be read: {inner.Message}", inner) { Path = path };

    /// <summary>A control file (allowlist, debug switch) that others could change.</summary>
    public static ConfigurationException NotOwnerOnly(string what, string path, string problem) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{Printable.Of(path)}' {problem}; refusing to use it.") { Path = path };

    /// <summary>A local file whose content is not what it must be.</summary>
    public static ConfigurationException FileInvalid(string what, string path, string reason, Exception? inner = null) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{Printable.Of(path)}' is not valid: {reason}.", inner) { Path = path };

    /// <summary>A file that cannot be written.</summary>
    public static ConfigurationException FileUnwritable(string path, Exception inner) =>
        new(ErrorCode.Config, UpdateStage.Config, $"Cannot write '{Printable.Of(path)}': {inner.Message}", inner) { Path = path };

    /// <summary>A key pair that would overwrite an existing one.</summary>
    public static ConfigurationException KeyExists(string name, string folder) =>
        new(ErrorCode.Config, UpdateStage.Config, $"A key named '{name}' already exists in '{Printable.Of(folder)}'; keys are never overwritten.") { Path = folder };

    /// <summary>A release-side request that cannot work as given.</summary>
    public static ConfigurationException ReleaseRefused(string message, string? path = null, Exception? inner = null) =>
        new(ErrorCode.Config, UpdateStage.Release, message, inner) { Path = path };

    /// <summary>A key that already signed the document.</summary>
    public static ConfigurationException DuplicateSignature(string document, string keyId) =>
        new(ErrorCode.Config, UpdateStage.Release, $"Key {keyId} has already signed '{Printable.Of(document)}'; each key signs once.") { Path = document };

    /// <summary>A file that is not a document this tool signs, or not a valid one.</summary>
    public static ConfigurationException NotSignable(string document, string reason) =>
        new(ErrorCode.Config, UpdateStage.Release, $"'{Printable.Of(document)}' cannot be signed: {reason}.") { Path = document };
}
