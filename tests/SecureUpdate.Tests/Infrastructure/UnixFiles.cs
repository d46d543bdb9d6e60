using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// File operations .NET does not offer: a file "owned by another user" (the tests run as root), named pipes, the
/// flags of an open descriptor, and running code on a thread without a capability.
/// </summary>
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

    /// <summary>The open flags of <paramref name="handle"/>, as <c>/proc/self/fdinfo</c> shows them (in octal there).</summary>
    public static int DescriptorFlags(SafeHandle handle)
    {
        var line = File.ReadLines($"/proc/self/fdinfo/{handle.DangerousGetHandle().ToInt32()}").Single(entry => entry.StartsWith("flags:", StringComparison.Ordinal));
        return Convert.ToInt32(line["flags:".Length..].Trim(), 8);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread of its own whose effective capabilities lack <paramref name="capability"/>
    /// (capabilities belong to each thread on Linux, so nothing else in the test process loses it), and returns its result.
    /// </summary>
    public static T WithoutCapability<T>(int capability, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var header = new CapabilityHeader { Version = CapabilityVersion3 };
                var data = new CapabilityData[2];
                if (CapGet(ref header, data) != 0)
                {
                    throw new IOException($"capget failed (errno {Marshal.GetLastPInvokeError()}).");
                }

                data[capability / 32].Effective &= ~(1u << (capability % 32));
                if (CapSet(ref header, data) != 0)
                {
                    throw new IOException($"capset failed (errno {Marshal.GetLastPInvokeError()}).");
                }

                result = action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("The action without the capability failed.", failure);
    }

    /// <summary>CAP_FOWNER: act as the owner of any file (for example, open it with O_NOATIME).</summary>
    public const int CapabilityFileOwner = 3;

    private const uint CapabilityVersion3 = 0x20080522; // _LINUX_CAPABILITY_VERSION_3: two data words

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [DllImport("libc", EntryPoint = "capget", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int CapGet(ref CapabilityHeader header, [In, Out] CapabilityData[] data);

    [DllImport("libc", EntryPoint = "capset", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int CapSet(ref CapabilityHeader header, CapabilityData[] data);

    // DllImport, not LibraryImport: the generated stub would need unsafe code in the test project.
    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MkFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
