using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>The Unix (Linux) system calls: fsync of a folder, rename(2), link(2), open(2) without blocking, statx(2).</content>
internal sealed partial class DiskOperations
{
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800; // Linux O_NONBLOCK.
    private const int OCloseOnExec = 0x80000; // Linux O_CLOEXEC.
    private const int ONoAccessTime = 0x40000; // Linux O_NOATIME (the same on Arm).
    private const int EPerm = 1;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const int AtEmptyPath = 0x1000; // Linux AT_EMPTY_PATH: the descriptor itself (statx, linkat).

    /// <summary>O_DIRECTORY: 0x4000 on Arm, 0x10000 elsewhere on Linux (0x10000 is O_DIRECT on Arm).</summary>
    private static int ODirectory =>
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    /// <summary>O_NOFOLLOW: 0x8000 on Arm, 0x20000 elsewhere on Linux.</summary>
    private static int ONoFollow =>
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const int FileTypeMask = 0xF000;
    private const int RegularFileType = 0x8000;
    private const int GroupOrOtherWrite = 0x12; // S_IWGRP | S_IWOTH

    private static void UnixFsyncDirectory(string path) =>
        UnixFlushOpened(path, OperatingSystem.IsLinux() ? ORdOnly | ODirectory : ORdOnly, Fsync, "folder");

    /// <summary>
    /// Opens <paramref name="path"/> with <paramref name="flags"/> and runs <paramref name="flush"/> (fsync or syncfs) on the
    /// descriptor, closing it whatever happens; every durable flush of a path goes through here.
    /// </summary>
    /// <exception cref="IOException">The open or the flush failed.</exception>
    private static void UnixFlushOpened(string path, int flags, Func<int, int> flush, string what)
    {
        var fd = Open(path, flags);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {what} '{path}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (flush(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"Cannot flush {what} '{path}' to disk: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void UnixRenameOver(string source, string destination)
    {
        if (Rename(source, destination) != 0)
        {
            throw new IOException($"Cannot rename '{source}' to '{destination}' (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private static void UnixHardLink(string existing, string newPath)
    {
        if (Link(existing, newPath) != 0)
        {
            throw new IOException($"Cannot link '{existing}' to '{newPath}' (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>
    /// Opens for reading without blocking, so that a named pipe planted at the path cannot stall us
    /// before the owner check or the regular-file check refuses it; a folder opens too, and is refused
    /// the same way. With <paramref name="noFollow"/> a final symlink is not followed but refused.
    /// A path that cannot be opened at all because of what it is (a socket, a device with no driver,
    /// a symlink under <paramref name="noFollow"/>) is reported as such.
    /// </summary>
    private static SafeFileHandle UnixOpenNonBlocking(string path, bool noFollow = false, bool keepAccessTime = true)
    {
        var flags = ORdOnly | ONonBlock | OCloseOnExec | (noFollow ? ONoFollow : 0);
        var fd = Open(path, keepAccessTime ? flags : flags | ONoAccessTime);
        var errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (errno == EPerm && !keepAccessTime)
        {
            // O_NOATIME is for the owner only: another user's file is read as usual.
            fd = Open(path, flags);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }

        if (fd < 0)
        {
            if (errno is ENoEnt or ENotDir)
            {
                throw new FileNotFoundException($"'{path}' does not exist.", path);
            }

            if (UnixPathNotRegularProblem(path, noFollow) is { } problem)
            {
                throw new NotRegularFileException(path, problem);
            }

            throw new UnauthorizedAccessException($"open failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static string? UnixOwnerOnlyProblem(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Other Unix systems would need their own stat layout. Fail closed.
            return "cannot be checked for its owner on this operating system";
        }

        if (UnixStat(handle) is not { } stat)
        {
            return $"cannot be checked (errno {Marshal.GetLastPInvokeError()})";
        }

        var (owner, mode) = stat;
        if (UnixKindProblem(mode) is { } notRegular)
        {
            return notRegular;
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
