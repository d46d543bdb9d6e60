using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Real special files for the special-file tests (the tests run as root): named pipes, character and
/// block device nodes made with mknod(2), unix sockets, and what kind an entry is, read without opening it.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class SpecialFiles
{
    public const string NamedPipe = "named pipe";
    public const string CharacterDevice = "character device";
    public const string BlockDevice = "block device";
    public const string Socket = "socket";

    private const uint CharacterDeviceType = 0x2000;
    private const uint BlockDeviceType = 0x6000;
    private const uint OwnerReadWrite = 0b110_000_000;

    /// <summary>The end of the message the CLI gives for each kind.</summary>
    public static string Described(string kind) => kind switch
    {
        NamedPipe => "is a named pipe (FIFO), not a regular file",
        CharacterDevice => "is a character device, not a regular file",
        BlockDevice => "is a block device, not a regular file",
        Socket => "is a socket, not a regular file",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Creates a special file of <paramref name="kind"/> at <paramref name="path"/>: a FIFO; a node of
    /// <c>/dev/zero</c> (c 1 5), which never ends; a node of the first loop device (b 7 0), a whole
    /// disk; or a unix socket, bound and listening. Dispose what this returns at the end of the test: a
    /// socket's file exists only while it is bound (.NET removes it when the socket is disposed).
    /// </summary>
    public static IDisposable Make(string path, string kind)
    {
        switch (kind)
        {
            case NamedPipe:
                UnixFiles.MakeNamedPipe(path);
                return Nothing.Instance;
            case CharacterDevice:
                MakeNode(path, CharacterDeviceType, major: 1, minor: 5);
                return Nothing.Instance;
            case BlockDevice:
                MakeNode(path, BlockDeviceType, major: 7, minor: 0);
                return Nothing.Instance;
            case Socket:
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    // A socket path is at most 108 bytes: bind a short one in the same file system and rename it into place.
                    var bound = path.Length < 100 ? path : Path.Combine(Path.GetDirectoryName(Path.GetTempPath())!, $"s{Guid.NewGuid():N}"[..12]);
                    socket.Bind(new UnixDomainSocketEndPoint(bound));
                    socket.Listen();
                    if (bound != path)
                    {
                        File.Move(bound, path);
                    }

                    return socket;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Replaces the file at <paramref name="path"/> by a special file of <paramref name="kind"/> (see <see cref="Make"/>); it need not exist.</summary>
    public static IDisposable Replace(string path, string kind)
    {
        File.Delete(path);
        return Make(path, kind);
    }

    /// <summary>The file type bits (S_IFMT) of <paramref name="path"/>, not following a final symlink, read without opening it.</summary>
    public static uint FileType(string path)
    {
        var buffer = new byte[256];
        if (Statx(-100, path, 0x100, 0x1, buffer) != 0)
        {
            throw new IOException($"statx '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        // struct statx: stx_mode at offset 28 on every Linux architecture.
        return BitConverter.ToUInt16(buffer, 28) & 0xF000u;
    }

    /// <summary>Whether <paramref name="path"/> is a named pipe, device or socket (reading it could block or never end).</summary>
    public static bool IsSpecial(string path) => FileType(path) is 0x1000 or 0x2000 or 0x6000 or 0xC000;

    private static void MakeNode(string path, uint type, uint major, uint minor)
    {
        // glibc's makedev for small numbers: major in bits 8-19, minor in bits 0-7.
        var device = ((ulong)major << 8) | minor;
        if (MkNod(path, type | OwnerReadWrite, device) != 0)
        {
            throw new IOException($"mknod '{path}' failed (errno {Marshal.GetLastPInvokeError()}); these tests run as root.");
        }
    }

    // DllImport, not LibraryImport: the generated stub would need unsafe code in the test project.
    [DllImport("libc", EntryPoint = "mknod", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MkNod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong device);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
