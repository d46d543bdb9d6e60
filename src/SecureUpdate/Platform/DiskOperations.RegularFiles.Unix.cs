using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>The Unix (Linux) side of the regular-file check: statx(2) of a descriptor or a path, fcntl(2).</content>
internal sealed partial class DiskOperations
{
    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const int AtSymlinkNoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const int FGetFl = 3; // F_GETFL
    private const int FSetFl = 4; // F_SETFL
    private const int OWriteOnly = 0x1; // O_WRONLY
    private const int OCreate = 0x40; // Linux O_CREAT
    private const int OAppend = 0x400; // Linux O_APPEND

    /// <summary>What a file of <paramref name="mode"/> is when it is not a regular file, as the end of a sentence; null for a regular file.</summary>
    private static string? UnixKindProblem(int mode) => (mode & FileTypeMask) switch
    {
        RegularFileType => null,
        0x1000 => "is a named pipe (FIFO), not a regular file",
        0x2000 => "is a character device, not a regular file",
        0x4000 => "is a folder, not a regular file",
        0x6000 => "is a block device, not a regular file",
        0xA000 => "is a symbolic link, not a regular file",
        0xC000 => "is a socket, not a regular file",
        _ => "is not a regular file",
    };

    /// <summary>Why the open descriptor is not a regular file, or null when it is.</summary>
    private static string? UnixNotRegularProblem(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Other Unix systems would need their own stat layout. Fail closed.
            return "cannot be checked for its kind on this operating system";
        }

        return UnixStat(handle) is { } stat
            ? UnixKindProblem(stat.Mode)
            : $"cannot be checked (errno {Marshal.GetLastPInvokeError()})";
    }

    /// <summary>Why a path that could not be opened is not a regular file (a socket, a device without a driver, a refused symlink), or null.</summary>
    private static unsafe string? UnixPathNotRegularProblem(string path, bool noFollow)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = stackalloc byte[256];
        return Statx(AtCurrentDirectory, path, noFollow ? AtSymlinkNoFollow : 0, StatxType | StatxMode, buffer) == 0
            ? UnixKindProblem(*(ushort*)(buffer + 28))
            : null;
    }

    /// <summary>The owner and mode of an open descriptor (statx, Linux), or null when it cannot be read.</summary>
    private static unsafe (uint Owner, int Mode)? UnixStat(SafeFileHandle handle)
    {
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

        return result == 0 ? (*(uint*)(buffer + 20), *(ushort*)(buffer + 28)) : null;
    }

    /// <summary>open(O_WRONLY | O_APPEND | O_CREAT, 0600) without blocking or following a final symlink (see <see cref="OpenRegularFileForAppend"/>).</summary>
    private static SafeFileHandle UnixOpenAppendNonBlocking(string path)
    {
        var flags = OWriteOnly | OCreate | OAppend | ONonBlock | OCloseOnExec | ONoFollow;
        var fd = OpenWithMode(path, flags, (int)OwnerOnlyFile);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENoEnt or ENotDir)
            {
                throw new DirectoryNotFoundException($"The folder of '{path}' does not exist.");
            }

            // A named pipe without a reader fails with ENXIO here, rather than blocking: say what it is.
            if (UnixPathNotRegularProblem(path, noFollow: true) is { } problem)
            {
                throw new NotRegularFileException(path, problem);
            }

            throw new UnauthorizedAccessException($"open failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Back to blocking reads once the descriptor is known to be a regular file (O_NONBLOCK was only for the open).</summary>
    private static void UnixClearNonBlocking(SafeFileHandle handle, string path)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            var flags = Fcntl(fd, FGetFl, 0);
            if (flags < 0 || Fcntl(fd, FSetFl, flags & ~ONonBlock) < 0)
            {
                throw new IOException($"Cannot prepare '{path}' for reading (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // open is variadic; its mode is passed as an int on the Linux ABIs this runs on.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenWithMode(string path, int flags, int mode);

    // fcntl is variadic; its third argument is passed as an int on the Linux ABIs this runs on.
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}
