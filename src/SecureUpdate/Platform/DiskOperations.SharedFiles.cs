namespace SecureUpdate.Platform;

/// <content>
/// Sharing an installed file with a new version instead of copying it: a stamp of an open file (to
/// see that nothing wrote to it while it was hashed), whether only this user can change it, and a
/// hard link of exactly the inode that was opened.
/// </content>
internal sealed partial class DiskOperations
{
    // Asked once: an update checks it for every file it reuses, and a process's effective user does not change here.
    private static uint? s_effectiveUser;

    /// <summary>The stamp of the file open as <paramref name="stream"/>, or null where it cannot be read (or off Linux).</summary>
    public static FileStamp? Stamp(FileStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return OperatingSystem.IsLinux() ? UnixStamp(stream.SafeFileHandle) : null;
    }

    /// <summary>
    /// Whether a file of <paramref name="stamp"/> can be changed only by this user (and root): a regular
    /// file owned by the effective user, not writable by group or others. Sharing its content with a
    /// new version is then as safe as the installed copy itself.
    /// </summary>
    public static bool IsOnlyOurs(FileStamp stamp) =>
        !OperatingSystem.IsWindows()
        && (stamp.Mode & FileTypeMask) == RegularFileType
        && stamp.Owner == (s_effectiveUser ??= GetEffectiveUserId())
        && (stamp.Mode & GroupOrOtherWrite) == 0;

    /// <summary>
    /// Makes <paramref name="destination"/> (which must not exist) a hard link to the very inode open as
    /// <paramref name="source"/>, not to whatever its path names now. False when the system or the file
    /// system cannot (another file system, too many links, no <c>/proc</c> and no privilege for
    /// <c>AT_EMPTY_PATH</c>, or not Linux), and the caller copies instead.
    /// </summary>
    public bool TryHardLink(FileStream source, string destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        return OperatingSystem.IsLinux() && UnixTryLinkOpened(source.SafeFileHandle, destination);
    }
}
