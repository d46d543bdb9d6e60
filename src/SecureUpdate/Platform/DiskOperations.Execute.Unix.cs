using System.Collections;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>Verified launch: executes an open descriptor (fexecve(3)), never the path it was opened from.</content>
internal sealed partial class DiskOperations
{
    private const int SigPipe = 13; // SIGPIPE
    private const nint SigDefault = 0; // SIG_DFL

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

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
