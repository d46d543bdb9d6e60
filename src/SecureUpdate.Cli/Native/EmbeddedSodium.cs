using System.Reflection;
using System.Runtime.InteropServices;
using SecureUpdate.Platform;

namespace SecureUpdate.Cli.Native;

/// <summary>
/// Loads the libsodium the published executable carries inside itself, so that the executable is the only file a host
/// needs. No static libsodium as new as NSec needs (1.0.22) exists for linux-x64 in the packages the build may use, so the
/// NativeAOT publish embeds NSec's own <c>libsodium.so</c> as a resource (docs/architecture.md, "One file"). Because the
/// library is inside the executable, whatever verifies the executable verifies it too; nothing is read from beside it.
/// The JIT build carries no resource and loads <c>libsodium.so</c> from beside the assembly as before.
/// </summary>
internal static partial class EmbeddedSodium
{
    /// <summary>The resource name the project file gives the embedded library.</summary>
    internal const string ResourceName = "libsodium.so";

    private const string LibraryName = "libsodium";
    private const int OWronly = 0x1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int OCloexec = 0x80000;

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static bool _failed;

    /// <summary>Routes NSec's imports of <c>libsodium</c> to the embedded copy; does nothing when there is none (JIT build).</summary>
    public static void Register()
    {
        if (!OperatingSystem.IsLinux() || typeof(EmbeddedSodium).Assembly.GetManifestResourceInfo(ResourceName) is null)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(NSec.Cryptography.Key).Assembly, Resolve);
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return 0;
        }

        lock (Gate)
        {
            if (_handle == 0 && !_failed)
            {
                _handle = Load(ReadResource());
                _failed = _handle == 0;
            }

            // Never a zero handle: the runtime would then search for a libsodium.so beside the executable or on the library
            // path, one that nothing has verified. Failing here is what the CLI reports as "libsodium could not be loaded".
            return _failed ? throw new DllNotFoundException("The embedded libsodium could not be loaded.") : _handle;
        }
    }

    private static byte[] ReadResource()
    {
        using var stream = typeof(EmbeddedSodium).Assembly.GetManifestResourceStream(ResourceName)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// From memory first: an anonymous, sealed memfd opened through <c>/proc/self/fd</c>. Where <c>/proc</c> is not mounted
    /// (a bare chroot), dlopen needs a path, so the library goes to a new owner-only folder in TMPDIR (or /tmp) and both are
    /// removed as soon as it is mapped.
    /// </summary>
    private static nint Load(byte[] library)
    {
        try
        {
            using var memory = DiskOperations.CopyToSealedMemory(new MemoryStream(library, writable: false), LibraryName);
            if (NativeLibrary.TryLoad($"/proc/self/fd/{memory.SafeFileHandle.DangerousGetHandle()}", out var fromMemory))
            {
                return fromMemory;
            }
        }
        catch (IOException)
        {
            // No memory file here (an old kernel, a seccomp filter): the private folder below.
        }

        return LoadFromPrivateFolder(library);
    }

    private static nint LoadFromPrivateFolder(byte[] library)
    {
        var parent = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        var folder = Mkdtemp(Path.Join(parent, "secure-update-XXXXXX"));
        if (folder is null)
        {
            return 0;
        }

        var path = Path.Join(folder, "libsodium.so");
        try
        {
            var fd = Open(path, OWronly | OCreat | OExcl | OCloexec, 0x140); // 0500: owner read and execute
            if (fd < 0)
            {
                return 0;
            }

            var written = WriteAll(fd, library);
            written &= Close(fd) == 0;
            return written && NativeLibrary.TryLoad(path, out var handle) ? handle : 0;
        }
        finally
        {
            _ = Unlink(path);
            _ = Rmdir(folder);
        }
    }

    private static bool WriteAll(int fd, byte[] bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var count = Write(fd, bytes.AsSpan(offset), (nuint)(bytes.Length - offset));
            if (count <= 0)
            {
                return false;
            }

            offset += (int)count;
        }

        return true;
    }

    private static string? Mkdtemp(string template)
    {
        var buffer = System.Text.Encoding.UTF8.GetBytes(template + "\0");
        return MkdtempNative(buffer) == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, buffer.Length - 1);
    }

    [LibraryImport("libc", EntryPoint = "write")]
    private static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdtemp")]
    private static partial nint MkdtempNative(Span<byte> template);

    [LibraryImport("libc", EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "rmdir", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rmdir(string path);
}
