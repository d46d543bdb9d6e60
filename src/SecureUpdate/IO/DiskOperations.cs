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
    private const int ONonBlock = 0x800; // Linux O_NONBLOCK.
    private const int OCloseOnExec = 0x80000; // Linux O_CLOEXEC.
    private const int ENoEnt = 2;
    private const int AtEmptyPath = 0x1000; // Linux AT_EMPTY_PATH: stat the descriptor itself.
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const int FileTypeMask = 0xF000;
    private const int RegularFileType = 0x8000;
    private const int GroupOrOtherWrite = 0x12; // S_IWGRP | S_IWOTH

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

    /// <summary>
    /// Reads a small local control file (an allowlist, the debug switch) that only its owner may
    /// change: a regular file owned by the current user or root, not writable by group or others.
    /// The check is made on the open handle, so it holds for exactly the bytes that are read.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, too large or not owner-only.</exception>
    public static byte[] ReadOwnerOnlyFile(string path, int cap, string what)
    {
        try
        {
            using var handle = OpenOwnerOnly(path, what);
            var length = RandomAccess.GetLength(handle);
            if (length > cap)
            {
                throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The {what} '{path}' is larger than {cap} bytes.");
            }

            var buffer = new byte[length];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0)
            {
                total += read;
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, ex);
        }
    }

    /// <summary>Checks that <paramref name="path"/> is an owner-only control file (see <see cref="ReadOwnerOnlyFile"/>) without reading it.</summary>
    /// <exception cref="ConfigurationException">It is missing, unreadable or not owner-only.</exception>
    public static void CheckOwnerOnlyFile(string path, string what)
    {
        try
        {
            using var handle = OpenOwnerOnly(path, what);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, ex);
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenOwnerOnly(string path, string what)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        if (OperatingSystem.IsLinux())
        {
            // Non-blocking, so that a named pipe planted at the path cannot stall us before the
            // check below refuses it; a directory opens too, and is refused the same way.
            var fd = Open(path, ORdOnly | ONonBlock | OCloseOnExec);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw errno == ENoEnt
                    ? new FileNotFoundException($"'{path}' does not exist.", path)
                    : new UnauthorizedAccessException($"open failed with errno {errno}.");
            }

            handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        }
        else
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        if (OwnerOnlyProblem(handle) is { } problem)
        {
            handle.Dispose();
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The {what} '{path}' {problem}; refusing to use it.");
        }

        return handle;
    }

    private static ConfigurationException Unreadable(string path, string what, Exception ex) =>
        ex is FileNotFoundException or DirectoryNotFoundException
            ? new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{path}' does not exist.", ex)
            : new(ErrorCode.Config, UpdateStage.Config, $"The {what} '{path}' cannot be read: {ex.Message}", ex);

    /// <summary>Why the open file is not owner-only (regular, owned by us or root, no group/other write), or null when it is.</summary>
    private static unsafe string? OwnerOnlyProblem(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            // .NET has no owner API; other systems would need their own stat layout. Fail closed.
            return "cannot be checked for its owner on this operating system";
        }

        // struct statx has the same layout on every Linux architecture: uid at 20, mode at 28.
        var buffer = stackalloc byte[256];
        var added = false;
        int result;
        try
        {
            handle.DangerousAddRef(ref added);
            result = Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxType | StatxMode | StatxUid, buffer);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        if (result != 0)
        {
            return $"cannot be checked (errno {Marshal.GetLastPInvokeError()})";
        }

        var owner = *(uint*)(buffer + 20);
        var mode = *(ushort*)(buffer + 28);
        if ((mode & FileTypeMask) != RegularFileType)
        {
            return "is not a regular file";
        }

        var us = GetEffectiveUserId();
        if (owner != us && owner != 0)
        {
            return $"is owned by another user (uid {owner}, not {us} or root)";
        }

        return (mode & GroupOrOtherWrite) != 0 ? "is writable by group or others" : null;
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

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
