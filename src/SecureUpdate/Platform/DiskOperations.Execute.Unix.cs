using System.Collections;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>Verified launch: executes an open descriptor (fexecve(3)), never the path it was opened from, or a sealed in-memory copy of the verified bytes.</content>
internal sealed partial class DiskOperations
{
    private const int SigPipe = 13; // SIGPIPE
    private const nint SigDefault = 0; // SIG_DFL
    private const uint MemfdCloseOnExec = 0x1; // MFD_CLOEXEC
    private const uint MemfdAllowSealing = 0x2; // MFD_ALLOW_SEALING
    private const uint MemfdExec = 0x10; // MFD_EXEC (Linux 6.3+): say so, where executable memfds are the exception
    private const int FAddSeals = 1033; // F_ADD_SEALS
    private const int SealAll = 0x1 | 0x2 | 0x4 | 0x8; // F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
    private const int EInvalid = 22; // EINVAL

    /// <summary>
    /// The path the kernel holds for the file open as <paramref name="handle"/> (<c>/proc/self/fd/N</c>): where the
    /// inode that was opened lives, with every symlink on the way resolved; null when it cannot be told (no <c>/proc</c>)
    /// or the file has no name any more.
    /// </summary>
    public static string? DescriptorPath(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            var target = new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
            return target is null || !target.StartsWith('/') || target.EndsWith(" (deleted)", StringComparison.Ordinal) ? null : target;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> from its start into a new anonymous memory file (memfd) and seals it against
    /// every change (no write, no shrink, no grow, no new seal): the copy then holds exactly these bytes for as long
    /// as it exists, whoever can write the original. The returned stream is positioned at 0, for reading.
    /// </summary>
    /// <exception cref="IOException">The memory file could not be made, filled or sealed.</exception>
    public static FileStream CopyToSealedMemory(Stream source, string name)
    {
        ArgumentNullException.ThrowIfNull(source);
        var fd = MemfdCreate(name, MemfdCloseOnExec | MemfdAllowSealing | MemfdExec);
        if (fd < 0 && Marshal.GetLastPInvokeError() == EInvalid)
        {
            // A kernel older than MFD_EXEC: its memory files are executable anyway.
            fd = MemfdCreate(name, MemfdCloseOnExec | MemfdAllowSealing);
        }

        if (fd < 0)
        {
            throw new IOException($"memfd_create failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        var memory = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.ReadWrite, bufferSize: 0);
        try
        {
            source.Position = 0;
            source.CopyTo(memory);
            if (Fcntl(fd, FAddSeals, SealAll) != 0)
            {
                throw new IOException($"sealing the memory file failed with errno {Marshal.GetLastPInvokeError()}.");
            }

            memory.Position = 0;
            return memory;
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Replaces this process with the program held by <paramref name="handle"/>, with <paramref name="argv"/>
    /// (its first entry is the program's name) and this process's environment. Because the descriptor itself
    /// is executed, a file renamed or rewritten over the path after the descriptor was opened is never run.
    /// Returns only when the kernel refuses: the errno.
    /// </summary>
    public static int ExecuteDescriptor(SafeFileHandle handle, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(argv);
        var arguments = ToNative([.. argv]);
        var environment = ToNative([.. Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}")]);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);

            // The runtime ignores SIGPIPE; an ignored signal stays ignored across exec, so give the program the default.
            _ = Signal(SigPipe, SigDefault);
            _ = FExecve((int)handle.DangerousGetHandle(), arguments, environment);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }

            Free(arguments);
            Free(environment);
        }
    }

    private static nint[] ToNative(string[] values)
    {
        var native = new nint[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
        {
            native[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return native;
    }

    private static void Free(nint[] native)
    {
        foreach (var pointer in native)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
    }

    [LibraryImport("libc", EntryPoint = "fexecve", SetLastError = true)]
    private static partial int FExecve(int fd, nint[] argv, nint[] envp);

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
