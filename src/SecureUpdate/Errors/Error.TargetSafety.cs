namespace SecureUpdate.Errors;

/// <content>Targets that are not safe to use as they are on disk: planted symlinks, special files, loose permissions, read-only media.</content>
internal static partial class Error
{
    /// <summary>An entry of the target's layout that is not what the layout names, or that others could change.</summary>
    public static ConfigurationException UnsafeTargetEntry(string path, string problem) =>
        new(ErrorCode.Config, UpdateStage.Config, $"Unsafe target: '{Printable.Of(path)}' {problem}; nothing was changed.") { Path = path };

    /// <summary>A target whose own path is a symlink: the real path to give instead, when it is known.</summary>
    public static ConfigurationException TargetPathIsSymlink(string path, string? resolved) =>
        new(ErrorCode.Config, UpdateStage.Config, resolved is null
            ? $"Unsafe target: '{Printable.Of(path)}' is a symbolic link; nothing was changed."
            : $"Unsafe target: '{Printable.Of(path)}' is a symbolic link to '{Printable.Of(resolved)}'; give that real path instead (a target is never reached through a link, which could be pointed elsewhere); nothing was changed.") { Path = path };

    /// <summary>A command that would change a target on a read-only file system.</summary>
    public static ConfigurationException ReadOnlyTarget(string target) =>
        new(ErrorCode.Config, UpdateStage.Config, $"'{Printable.Of(target)}' is on a read-only file system: nothing can be installed, staged, switched or rolled back there; nothing was changed.") { Path = target };

    /// <summary>A read-only target that an interrupted operation or an overdue confirmation left unsettled: reading it would report a state that is not final.</summary>
    public static ConfigurationException ReadOnlyUnsettled(string target, string what) =>
        new(ErrorCode.Config, UpdateStage.Config, $"'{Printable.Of(target)}' is on a read-only file system and {what}; run the command again where the target is writable. Nothing was changed.") { Path = target };

    /// <summary>The current version did not verify on a read-only target: the fallback cannot act there.</summary>
    public static VerificationException NotResetReadOnly(VerificationException failure) =>
        new(failure.Code, UpdateStage.Verify, $"{failure.Message} The target is on a read-only file system, so nothing was switched or recorded.", failure) { Version = failure.Version };
}
