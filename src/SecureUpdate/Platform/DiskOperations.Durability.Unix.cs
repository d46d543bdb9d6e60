using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>The Linux side of staging durability: open(2) with O_EXCL, fchmod(2), sync_file_range(2), syncfs(2), ioctl(FICLONE).</content>
internal sealed partial class DiskOperations
{
    private const int OExclusive = 0x80; // Linux O_EXCL
    private const int SyncFileRangeWrite = 0x2; // SYNC_FILE_RANGE_WRITE
    private const nuint FiClone = 0x40049409; // FICLONE = _IOW(0x94, 9, int)

    /// <summary>
    /// syncfs(2) reports write errors only from Linux 5.8 on; before, it returns 0 even when a write
    /// failed, so there each file is fsynced instead (fsync has reported them reliably for long).
    /// </summary>
    private static readonly bool s_syncfsReportsErrors = OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(5, 8);

    /// <summary>open(O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode), then fchmod on the descriptor (the umask may have narrowed the mode).</summary>
    private static SafeFileHandle UnixCreateStagingFile(string path, UnixFileMode mode)
    {
        var fd = OpenWithMode(path, OReadWrite | OCreate | OExclusive | OCloseOnExec | ONoFollow, (int)mode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot create '{path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(handle, mode);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void UnixStartWriteback(SafeFileHandle handle, long offset, long count)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);

            // Only a hint to start early: a failure here (an old kernel, a file system without it) changes
            // nothing, and a real write error is reported by the durability pass that follows.
            _ = SyncFileRange((int)handle.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// One syncfs(2) of the staging folder's file system: one journal commit and one cache flush for the
    /// whole release, where an fsync per file costs a commit or a flush each. It also writes whatever
    /// else is dirty on that file system, which is the price of the single pass.
    /// </summary>
    private static void UnixMakeDurable(string folder, IEnumerable<string> files)
    {
        if (!s_syncfsReportsErrors)
        {
            foreach (var file in files)
            {
                UnixFsyncFile(file);
            }

            return;
        }

        UnixFlushOpened(folder, ORdOnly | ODirectory | OCloseOnExec, SyncFs, "staging folder");
    }

    private static void UnixFsyncFile(string path) =>
        UnixFlushOpened(path, ORdOnly | OCloseOnExec | ONoFollow, Fsync, "file");

    private static bool UnixTryClone(SafeFileHandle source, SafeFileHandle destination)
    {
        var sourceAdded = false;
        var destinationAdded = false;
        try
        {
            source.DangerousAddRef(ref sourceAdded);
            destination.DangerousAddRef(ref destinationAdded);

            // EOPNOTSUPP (ext4, tmpfs), EXDEV (another file system), EINVAL and the rest: not cloned, copied instead.
            return IoctlClone((int)destination.DangerousGetHandle(), FiClone, (int)source.DangerousGetHandle()) == 0;
        }
        finally
        {
            if (sourceAdded)
            {
                source.DangerousRelease();
            }

            if (destinationAdded)
            {
                destination.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    // ioctl is variadic; FICLONE's argument (a descriptor) is passed as an int on the Linux ABIs this runs on.
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlClone(int fd, nuint request, int sourceFd);
}
