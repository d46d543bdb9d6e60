using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SecureUpdate.Errors;

namespace SecureUpdate.Platform;

/// <content>The Unix (Linux) side of the layout checks: statx(2) without following, access(2), open(2) with O_NOFOLLOW, flock(2).</content>
internal sealed partial class DiskOperations
{
    private const int OReadWrite = 2; // O_RDWR
    private const int EIsFolder = 21; // EISDIR
    private const int EAccess = 13; // EACCES
    private const int ELoop = 40; // ELOOP: O_NOFOLLOW met a symlink.
    private const int EReadOnlyFileSystem = 30; // EROFS
    private const int EWouldBlock = 11; // EWOULDBLOCK (EAGAIN)
    private const int WriteAccess = 2; // W_OK
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB
    private const int LockRelease = 8; // LOCK_UN
    private const int FolderType = 0x4000; // S_IFDIR
    private const int SymlinkType = 0xA000; // S_IFLNK
    private const int PermissionBits = 0xFFF; // rwx for all three, setuid, setgid, sticky

    private static unsafe LayoutEntry UnixInspect(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Other Unix systems would need their own stat layout. Fail closed.
            throw Error.UnsafeTargetEntry(path, "cannot be checked on this operating system");
        }

        var buffer = stackalloc byte[256];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENoEnt or ENotDir
                ? LayoutEntry.Missing
                : throw Error.UnsafeTargetEntry(path, $"cannot be checked (errno {errno})");
        }

        return FromStatx(buffer);
    }

    /// <summary>struct statx has the same layout on every Linux architecture: uid at 20, mode at 28, dev major and minor at 136 and 140.</summary>
    private static unsafe LayoutEntry FromStatx(byte* buffer)
    {
        var owner = *(uint*)(buffer + 20);
        var mode = *(ushort*)(buffer + 28);
        var device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        var kind = (mode & FileTypeMask) switch
        {
            RegularFileType => LayoutEntryKind.RegularFile,
            FolderType => LayoutEntryKind.Folder,
            SymlinkType => LayoutEntryKind.Symlink,
            0x1000 => LayoutEntryKind.NamedPipe,
            0xC000 => LayoutEntryKind.Socket,
            0x2000 => LayoutEntryKind.CharacterDevice,
            _ => LayoutEntryKind.BlockDevice,
        };
        return new LayoutEntry(kind, owner, (UnixFileMode)(mode & PermissionBits), device);
    }

    private static bool UnixIsOnReadOnlyFileSystem(string path) =>
        Access(path, WriteAccess) != 0 && Marshal.GetLastPInvokeError() == EReadOnlyFileSystem;

    private static unsafe FileLock? UnixTryLock(string path)
    {
        // lstat first, so that a device node is never even opened; the descriptor is checked again below.
        var before = UnixInspect(path);
        if (before.Kind is not (LayoutEntryKind.Missing or LayoutEntryKind.RegularFile))
        {
            throw Error.UnsafeTargetEntry(path, KindProblem(before.Kind));
        }

        var fd = OpenWithMode(path, OReadWrite | OCreate | ONoFollow | ONonBlock | OCloseOnExec, 0b110_000_000);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ENoEnt => new DirectoryNotFoundException($"The folder of '{path}' does not exist."),
                ELoop => Error.UnsafeTargetEntry(path, KindProblem(LayoutEntryKind.Symlink)),
                EIsFolder => Error.UnsafeTargetEntry(path, KindProblem(LayoutEntryKind.Folder)),
                EAccess => new UnauthorizedAccessException($"Cannot open the lock '{path}' (permission denied)."),
                EReadOnlyFileSystem => new IOException($"Cannot open the lock '{path}': the file system is read-only."),
                _ => new IOException($"Cannot open the lock '{path}' (errno {errno})."),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var buffer = stackalloc byte[256];
            if (Statx(fd, "", AtEmptyPath, StatxType | StatxMode | StatxUid, buffer) != 0)
            {
                throw Error.UnsafeTargetEntry(path, $"cannot be checked (errno {Marshal.GetLastPInvokeError()})");
            }

            if (FromStatx(buffer).Kind != LayoutEntryKind.RegularFile)
            {
                throw Error.UnsafeTargetEntry(path, KindProblem(FromStatx(buffer).Kind));
            }

            if (Flock(fd, LockExclusive | LockNonBlocking) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                handle.Dispose();
                return errno == EWouldBlock ? null : throw new IOException($"Cannot lock '{path}' (errno {errno}).");
            }

            return new FileLock(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>How an entry that should be a regular file or folder is described in a refusal.</summary>
    internal static string KindProblem(LayoutEntryKind kind) => kind switch
    {
        LayoutEntryKind.Symlink => "is a symbolic link",
        LayoutEntryKind.Folder => "is a folder, not a regular file",
        LayoutEntryKind.RegularFile => "is a file, not a folder",
        LayoutEntryKind.NamedPipe => "is a named pipe (FIFO)",
        LayoutEntryKind.Socket => "is a socket",
        LayoutEntryKind.CharacterDevice => "is a character device",
        LayoutEntryKind.BlockDevice => "is a block device",
        _ => "does not exist",
    };


    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    /// <summary>
    /// Releases the lock held on <paramref name="handle"/> at once. Closing the descriptor is not enough: a flock belongs
    /// to the open file, which a child process started at the same moment (between its fork and its exec, before
    /// close-on-exec applies) shares for a while, and the lock would stay held until that child execs.
    /// </summary>
    internal static void UnixUnlock(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = Flock((int)handle.DangerousGetHandle(), LockRelease);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
