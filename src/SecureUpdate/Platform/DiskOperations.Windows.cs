using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>
/// Windows keeps the same shape with its own primitives (a directory junction, or a folder rename while
/// the app is stopped). Only the Unix side runs and is tested here; what has no honest Windows
/// equivalent yet fails closed.
/// </content>
internal sealed partial class DiskOperations
{
    /// <summary>NTFS journals metadata and has no folder handle to flush: nothing to do.</summary>
    private static void WindowsFsyncDirectory(string path) => _ = path;

    private static void WindowsRenameOver(string source, string destination) => File.Move(source, destination, overwrite: true);

    /// <summary>A copy, not a second name: enough for keeping a previous single file for rollback.</summary>
    private static void WindowsHardLink(string existing, string newPath) => File.Copy(existing, newPath);

    private static SafeFileHandle WindowsOpenForReading(string path) => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);

    /// <summary>.NET has no owner API for Windows files: an owner-only control file cannot be proven, so it is refused.</summary>
    private static string WindowsOwnerOnlyProblem() => "cannot be checked for its owner on this operating system";

    /// <summary>
    /// A plain open, then the attributes of what was opened: a folder or a reparse point (a symlink
    /// under <paramref name="noFollow"/>) is refused; named pipes and devices are not reachable by a
    /// plain path on Windows.
    /// </summary>
    private static FileStream WindowsOpenRegularFile(string path, bool noFollow)
    {
        var attributes = File.GetAttributes(path);
        if ((attributes & FileAttributes.Directory) != 0)
        {
            throw new NotRegularFileException(path, "is a folder, not a regular file");
        }

        if (noFollow && (attributes & FileAttributes.ReparsePoint) != 0)
        {
            throw new NotRegularFileException(path, "is a symbolic link, not a regular file");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }
}
