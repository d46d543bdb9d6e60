using System.IO.Abstractions;

namespace SecureUpdate.Platform;

/// <summary>Removing what a target (or a staging area) no longer needs, without ever following a symlink out of it.</summary>
internal static class FileSystemCleanup
{
    /// <summary>Removes a file, symlink or special file (never what a symlink points at), or a whole folder; nothing when absent.</summary>
    public static void DeletePath(this IFileSystem fileSystem, string path)
    {
        var info = fileSystem.FileInfo.New(path);
        if (info.LinkTarget is not null || fileSystem.File.Exists(path))
        {
            fileSystem.File.Delete(path);
        }
        else if (fileSystem.Directory.Exists(path))
        {
            fileSystem.Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>
    /// Removes the files matching <paramref name="pattern"/> in <paramref name="folder"/>: temporary files a dead process left; nothing when the folder is absent.
    /// A folder of the target's own state that is a symlink is refused (<paramref name="ownFolder"/>); the target's root is where the user put it.
    /// </summary>
    public static void DeleteLeftovers(this IFileSystem fileSystem, string folder, string pattern, bool ownFolder = true)
    {
        if (!fileSystem.Directory.Exists(folder))
        {
            return;
        }

        // A planted symlink in place of a state folder would make this delete files outside the target.
        if (ownFolder && fileSystem.FileInfo.New(folder).LinkTarget is not null)
        {
            throw Errors.Error.UnsafeTarget(folder, "is a symlink; refusing to follow it");
        }

        foreach (var leftover in fileSystem.Directory.EnumerateFiles(folder, pattern))
        {
            fileSystem.DeletePath(leftover);
        }
    }
}
