using System.Runtime.InteropServices;

namespace SecureUpdate.IO;

/// <summary>
/// The one place where real-disk guarantees are the point: fsync of files and directories,
/// atomic rename over an existing entry, symlink switches and Unix permissions. Everything
/// else goes through <see cref="System.IO.Abstractions.IFileSystem"/>. Windows keeps the same
/// shape with other primitives; only the Unix side is implemented and tested here.
/// </summary>
internal static partial class DiskOperations
{
    /// <summary>rwx------ for state and staging folders.</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw------- for private files.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwxr-xr-x for installed folders and executables.</summary>
    public const UnixFileMode Executable = OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>rw-r--r-- for installed files.</summary>
    public const UnixFileMode Regular = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux value of O_DIRECTORY.

    /// <summary>Flushes a directory's entries to disk, so a rename inside it survives power loss.</summary>
    public static void FsyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals metadata; there is no directory handle to flush.
        }

        var fd = Open(path, OperatingSystem.IsLinux() ? ORdOnly | ODirectory : ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open folder '{path}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot flush folder '{path}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Atomically renames <paramref name="source"/> over <paramref name="destination"/> (replacing a file or symlink, never a folder).</summary>
    public static void RenameOver(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Move(source, destination, overwrite: true);
            return;
        }

        if (Rename(source, destination) != 0)
        {
            throw new IOException($"Cannot rename '{source}' to '{destination}' (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>Points <paramref name="linkPath"/> at <paramref name="relativeTarget"/> atomically: a new symlink renamed over the old one.</summary>
    public static void SwitchSymlink(string linkPath, string relativeTarget)
    {
        var directory = Path.GetDirectoryName(linkPath)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(linkPath)}.{Guid.NewGuid():N}.tmp");
        File.CreateSymbolicLink(temporary, relativeTarget);
        try
        {
            RenameOver(temporary, linkPath);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        FsyncDirectory(directory);
    }

    /// <summary>Creates a folder (and parents) and sets its mode exactly, whatever the umask.</summary>
    public static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, mode);
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Sets a Unix mode (no-op on Windows).</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Writes a whole small file durably: temporary file, fsync, rename over, directory fsync.</summary>
    public static void WriteFileAtomic(string path, ReadOnlySpan<byte> contents, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = CreateNew(temporary, mode))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            RenameOver(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        FsyncDirectory(directory);
    }

    /// <summary>Creates a new file that must not exist yet, with <paramref name="mode"/> from the start (no window with wider permissions).</summary>
    public static FileStream CreateNew(string path, UnixFileMode mode)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Makes <paramref name="newPath"/> a second name of <paramref name="existing"/> (same file system).</summary>
    public static void HardLink(string existing, string newPath)
    {
        if (OperatingSystem.IsWindows())
        {
            File.Copy(existing, newPath);
            return;
        }

        if (Link(existing, newPath) != 0)
        {
            throw new IOException($"Cannot link '{existing}' to '{newPath}' (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string oldPath, string newPath);
}
