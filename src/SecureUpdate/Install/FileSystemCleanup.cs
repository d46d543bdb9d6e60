using System.IO.Abstractions;

namespace SecureUpdate.Install;

/// <summary>Removing what a target no longer needs, without ever following a symlink out of it.</summary>
internal static class FileSystemCleanup
{
    /// <summary>Removes a file or symlink (never what it points at), or a whole folder; nothing when absent.</summary>
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
}
