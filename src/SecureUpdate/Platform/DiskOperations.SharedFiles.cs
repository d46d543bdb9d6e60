using Microsoft.Win32.SafeHandles;

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

    /// <summary>
    /// Opens a file of an installed version to hash it where it lies and perhaps share it, on Linux; null
    /// elsewhere, where the caller copies it through a stream. Read-only, without following a final symlink
    /// or blocking on a special file, and, when the file is ours, without changing its access time (hashing
    /// every file of a version would otherwise write every inode it reads). <paramref name="stamp"/> is taken
    /// on the descriptor at once. Reads go to <see cref="RandomAccess"/> at offsets; the descriptor stays
    /// non-blocking, which a regular file ignores (a file system that did not would fail the read, and the
    /// file would simply not be reused).
    /// </summary>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="NotRegularFileException">It is a named pipe, socket, device, folder or symlink.</exception>
    /// <exception cref="UnauthorizedAccessException">It cannot be opened.</exception>
    /// <exception cref="IOException">Its stamp cannot be read.</exception>
    public static SafeFileHandle? OpenToShare(string path, out FileStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(path);
        stamp = default;
        return OperatingSystem.IsLinux() ? UnixOpenToShare(path, out stamp) : null;
    }

    /// <summary>The stamp of the open file <paramref name="handle"/>, or null where it cannot be read (or off Linux).</summary>
    public static FileStamp? Stamp(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return OperatingSystem.IsLinux() ? UnixStamp(handle) : null;
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
    /// system cannot (another file system, too many links, a kernel before 6.10 without the privilege
    /// for <c>AT_EMPTY_PATH</c> and no <c>/proc</c>, or not Linux), and the caller copies instead.
    /// </summary>
    public bool TryHardLink(SafeFileHandle source, string destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        return OperatingSystem.IsLinux() && UnixTryLinkOpened(source, destination);
    }
}
