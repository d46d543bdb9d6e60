using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>
/// What a target's layout is made of, seen without following symlinks (threat: local footholds):
/// the kind, owner, mode and file system of an entry, whether a folder is on a read-only file system,
/// and the target's lock, opened so that a planted symlink, folder or special file is never used.
/// </content>
internal sealed partial class DiskOperations
{
    /// <summary>The user this process acts as (its effective uid); 0 on Windows, which has no uid.</summary>
    public uint EffectiveUserId => OperatingSystem.IsWindows() ? 0 : GetEffectiveUserId();

    /// <summary>What <paramref name="path"/> is, without following a symlink at it.</summary>
    /// <exception cref="Errors.ConfigurationException">The system cannot say (other than "it does not exist").</exception>
    public LayoutEntry Inspect(string path) => OperatingSystem.IsWindows() ? WindowsInspect(path) : UnixInspect(path);

    /// <summary>Where the symlink at <paramref name="path"/> finally leads (every link on the way resolved), or null when it cannot be told.</summary>
    public string? FinalLinkTarget(string path)
    {
        try
        {
            return new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="path"/> is on a file system mounted read-only (false when it does not exist).</summary>
    public bool IsOnReadOnlyFileSystem(string path) => !OperatingSystem.IsWindows() && UnixIsOnReadOnlyFileSystem(path);

    /// <summary>
    /// Takes an exclusive lock on <paramref name="path"/> (created owner-only) at once, or returns null
    /// while another process holds it. The file is opened without following a symlink and without
    /// blocking, and must be a regular file: a planted symlink (dangling or not) is never created
    /// through, and a folder, named pipe or device is refused.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="Errors.ConfigurationException">The lock is a symlink, a folder or a special file.</exception>
    public FileLock? TryLock(string path) => OperatingSystem.IsWindows() ? WindowsTryLock(path) : UnixTryLock(path);

    private static LayoutEntry WindowsInspect(string path)
    {
        var info = new FileInfo(path);
        var kind = info.LinkTarget is not null ? LayoutEntryKind.Symlink
            : Directory.Exists(path) ? LayoutEntryKind.Folder
            : info.Exists ? LayoutEntryKind.RegularFile
            : LayoutEntryKind.Missing;
        return new LayoutEntry(kind, 0, UnixFileMode.None, 0);
    }

    private static FileLock? WindowsTryLock(string path)
    {
        try
        {
            return new FileLock(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            return null;
        }
    }
}
