using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>The Linux side of sharing installed files: open(2) without touching the access time, statx(2) of a descriptor, linkat(2) of a descriptor.</content>
internal sealed partial class DiskOperations
{
    private const uint StatxBasicStats = 0x7FF; // STATX_BASIC_STATS
    private const int AtSymlinkFollow = 0x400; // AT_SYMLINK_FOLLOW

    // 1 once linkat(AT_EMPTY_PATH) was refused where /proc/self/fd worked (an older kernel without the privilege).
    private static int s_linkByDescriptorRefused;

    /// <summary>statx of the descriptor; the layout of struct statx is the same on every Linux architecture.</summary>
    private static unsafe FileStamp? UnixStamp(SafeFileHandle handle)
    {
        var buffer = stackalloc byte[256];
        var added = false;
        int result;
        try
        {
            handle.DangerousAddRef(ref added);
            result = Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, buffer);
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
            return null;
        }

        static long Nanoseconds(byte* timestamp) => (*(long*)timestamp * 1_000_000_000L) + *(uint*)(timestamp + 8);

        return new FileStamp(
            Device: ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140),
            Inode: *(ulong*)(buffer + 32),
            Size: *(long*)(buffer + 40),
            Modified: Nanoseconds(buffer + 112),
            Changed: Nanoseconds(buffer + 96),
            Owner: *(uint*)(buffer + 20),
            Mode: *(ushort*)(buffer + 28));
    }

    /// <summary>
    /// linkat of the descriptor's own inode, never by the file's path, which may name another inode by now:
    /// with <c>AT_EMPTY_PATH</c> (any user from Linux 6.10 on, else only with CAP_DAC_READ_SEARCH), else
    /// through the descriptor's <c>/proc/self/fd</c> entry (any user). The second costs a walk through
    /// <c>/proc</c> per file, so the first is tried until it is seen refused where the second works.
    /// </summary>
    private static bool UnixTryLinkOpened(SafeFileHandle handle, string destination)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if (Volatile.Read(ref s_linkByDescriptorRefused) == 0 && LinkAt(fd, "", AtCurrentDirectory, destination, AtEmptyPath) == 0)
            {
                return true;
            }

            if (LinkAt(AtCurrentDirectory, "/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture), AtCurrentDirectory, destination, AtSymlinkFollow) != 0)
            {
                return false;
            }

            Volatile.Write(ref s_linkByDescriptorRefused, 1);
            return true;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>open(2) for <see cref="OpenToShare"/>: O_NOATIME first, which only the file's owner (or CAP_FOWNER) may ask for.</summary>
    private static SafeFileHandle UnixOpenToShare(string path, out FileStamp stamp)
    {
        var handle = UnixOpenNonBlocking(path, noFollow: true, keepAccessTime: false);
        try
        {
            stamp = UnixStamp(handle) ?? throw new IOException($"Cannot read the status of '{path}' (errno {Marshal.GetLastPInvokeError()}).");
            if (UnixKindProblem(stamp.Mode) is { } problem)
            {
                throw new NotRegularFileException(path, problem);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkAt(int oldDirectoryFd, string oldPath, int newDirectoryFd, string newPath, int flags);
}
