using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>File operations .NET does not offer: a file "owned by another user" (the tests run as root) and named pipes.</summary>
[UnsupportedOSPlatform("windows")]
internal static class UnixFiles
{
    /// <summary>The conventional uid and gid of <c>nobody</c>: never the user the tests and the CLI run as.</summary>
    public const uint Nobody = 65534;

    /// <summary>Gives <paramref name="path"/> to <paramref name="uid"/>:<paramref name="uid"/>.</summary>
    public static void ChangeOwner(string path, uint uid = Nobody)
    {
        if (Chown(path, uid, uid) != 0)
        {
            throw new IOException($"chown of '{path}' failed (errno {Marshal.GetLastPInvokeError()}); these tests run as root.");
        }
    }

    /// <summary>Creates a named pipe (FIFO) at <paramref name="path"/>, mode 0600.</summary>
    public static void MakeNamedPipe(string path)
    {
        if (MkFifo(path, 0b110_000_000) != 0)
        {
            throw new IOException($"mkfifo '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    // DllImport, not LibraryImport: the generated stub would need unsafe code in the test project.
    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
