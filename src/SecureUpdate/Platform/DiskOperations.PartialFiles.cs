using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>
/// The files of an interrupted download kept for the next run (docs/formats.md, "Partial downloads").
/// They sit in the target's owner-only state folder, yet they are local state that may have been
/// changed (threat: hostile local state): a partial file or its sidecar is used only when it is a
/// regular file with one name, owned by the user we act as and not readable or writable by group or
/// others, checked on the open descriptor, opened without following a symlink and without blocking
/// on a named pipe. Anything else is refused here, and the caller throws it away and starts from 0.
/// </content>
internal sealed partial class DiskOperations
{
    private const uint StatxLinkCount = 0x4; // STATX_NLINK
    private const int GroupOrOtherAccess = 0x3F; // S_IRWXG | S_IRWXO

    /// <summary>
    /// Opens (creating it owner-only when missing) the partial file of a download for reading and
    /// writing, positioned at its start, if, and only if, it is a private regular file (see above).
    /// </summary>
    /// <exception cref="NotRegularFileException">It is a symlink, named pipe, socket, device or folder, has other names, or is not private to us.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    public static FileStream OpenPartialFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });
        }

        // Written back early like any staging file: a large download's final durability pass stays short.
        var handle = UnixOpenPrivate(path, OReadWrite | OCreate);
        return new StagingFileStream(handle);
    }

    /// <summary>Reads the small sidecar of a partial file, at most <paramref name="cap"/> bytes, if it is a private regular file (see above).</summary>
    /// <exception cref="NotRegularFileException">It is not a private regular file.</exception>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="IOException">It cannot be read, or it is larger than <paramref name="cap"/>.</exception>
    public static byte[] ReadPartialSidecar(string path, int cap)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var handle = OperatingSystem.IsWindows()
            ? File.OpenHandle(path, FileMode.Open, FileAccess.Read)
            : UnixOpenPrivate(path, ORdOnly);
        var buffer = new byte[cap + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0)
        {
            total += read;
        }

        return total > cap ? throw new IOException($"'{path}' is larger than {cap} bytes.") : buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>open(2) without blocking or following a final symlink, then the private-file checks on the descriptor.</summary>
    private static SafeFileHandle UnixOpenPrivate(string path, int access)
    {
        var fd = OpenWithMode(path, access | ONonBlock | OCloseOnExec | ONoFollow, (int)OwnerOnlyFile);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENoEnt or ENotDir)
            {
                throw new FileNotFoundException($"'{path}' does not exist.", path);
            }

            // A symlink (ELOOP), a named pipe without a reader, a socket: say what it is.
            throw UnixPathNotRegularProblem(path, noFollow: true) is { } problem
                ? new NotRegularFileException(path, problem)
                : new IOException($"Cannot open '{path}' (errno {errno}).");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (UnixPrivateFileProblem(handle) is { } problem)
            {
                throw new NotRegularFileException(path, problem);
            }

            UnixClearNonBlocking(handle, path);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Why the open descriptor is not a private regular file with one name, or null when it is.</summary>
    private static unsafe string? UnixPrivateFileProblem(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "cannot be checked on this operating system";
        }

        // struct statx: nlink at 16, uid at 20, mode at 28 on every Linux architecture.
        var buffer = stackalloc byte[256];
        var added = false;
        int result;
        try
        {
            handle.DangerousAddRef(ref added);
            result = Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxType | StatxMode | StatxUid | StatxLinkCount, buffer);
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

        var links = *(uint*)(buffer + 16);
        var owner = *(uint*)(buffer + 20);
        var mode = (int)*(ushort*)(buffer + 28);
        return UnixKindProblem(mode) is { } notRegular ? notRegular
            : links != 1 ? $"has {links} names (a hard link), not one"
            : owner != GetEffectiveUserId() ? $"is owned by another user (uid {owner})"
            : (mode & GroupOrOtherAccess) != 0 ? "is readable or writable by group or others"
            : null;
    }
}
