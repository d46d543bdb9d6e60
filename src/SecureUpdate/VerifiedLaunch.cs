using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>
/// Verified launch: opens a program once, verifies it through that descriptor, and executes exactly what was
/// verified, so a file swapped over the path between the check and the start is never run. A program inside an
/// installed target is verified against the signed manifest the target kept for its version (detached); any other
/// program must carry its own signatures (<see cref="BinarySignature"/>, embedded). Linux only; ELF programs only
/// (a script's interpreter would open it again by path).
/// </summary>
public static class VerifiedLaunch
{
    private const string What = "file to run";

    /// <summary>
    /// Verifies <paramref name="path"/> against the release role of <paramref name="trust"/> and replaces this
    /// process with it (<see cref="VerifiedLaunchMode.Descriptor"/>), passing <paramref name="arguments"/>. On success this method does not return.
    /// </summary>
    /// <param name="path">The program, absolute or relative to the current directory.</param>
    /// <param name="trust">The trust root whose release keys and threshold decide.</param>
    /// <param name="arguments">The program's arguments (without its name, which is <paramref name="path"/>).</param>
    /// <exception cref="VerificationException">The signatures or the signed manifest do not verify: nothing was started.</exception>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, not a regular file, writable by others, not an ELF program, or the kernel refused to execute it: nothing was started.</exception>
    public static void Execute(string path, TrustRoot trust, IReadOnlyList<string> arguments) =>
        Execute(path, trust, arguments, VerifiedLaunchMode.Descriptor);

    /// <summary>
    /// Verifies <paramref name="path"/> against the release role of <paramref name="trust"/> (against the target's
    /// signed manifest when the file is inside an installed target, else its embedded signatures) and replaces this
    /// process with exactly the verified bytes, as <paramref name="mode"/> says, passing <paramref name="arguments"/>.
    /// On success this method does not return.
    /// </summary>
    /// <param name="path">The program, absolute or relative to the current directory.</param>
    /// <param name="trust">The trust root whose release keys and threshold decide.</param>
    /// <param name="arguments">The program's arguments (without its name, which is <paramref name="path"/>).</param>
    /// <param name="mode">Execute the file's descriptor or a sealed in-memory copy.</param>
    /// <exception cref="VerificationException">The signatures or the signed manifest do not verify: nothing was started.</exception>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, not a regular file, writable by others (descriptor mode), not an ELF program, the target is unsafe, or the kernel refused to execute it: nothing was started.</exception>
    public static void Execute(string path, TrustRoot trust, IReadOnlyList<string> arguments, VerifiedLaunchMode mode)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!OperatingSystem.IsLinux())
        {
            throw Error.VerifiedLaunchUnsupported();
        }

        var fileSystem = new FileSystem();
        using var file = (FileStream)LocalFiles.OpenLocal(fileSystem, path, What);

        // Where the opened inode lives, every symlink resolved (TARGET/current/… is TARGET/versions/V/…).
        var installed = DiskOperations.DescriptorPath(file.SafeFileHandle) is { } realPath ? InstalledProgram.Locate(fileSystem, realPath) : null;
        using var image = mode == VerifiedLaunchMode.InMemory ? CopyToMemory(file, path) : null;
        if (image is null && DiskOperations.OwnerOnlyProblem(file.SafeFileHandle) is { } problem)
        {
            throw Error.ProgramWritableByOthers(path, problem);
        }

        // What is verified is what runs: the file's descriptor, or the sealed copy made before the check.
        var verified = image ?? file;
        if (installed is not null)
        {
            installed.Verify(fileSystem, new DiskOperations(), verified, path, trust);
        }
        else
        {
            BinarySignature.VerifyOpen(verified, path, fileSystem.Path.GetFullPath(path), trust);
        }

        if (!IsElf(verified, path))
        {
            throw Error.NotAnElfExecutable(path);
        }

        FaultInjection.Pause("after-verify-before-exec");
        var errno = DiskOperations.ExecuteDescriptor(verified.SafeFileHandle, [path, .. arguments]);
        throw image is null ? Error.CannotExecute(path, errno) : Error.CannotExecuteFromMemory(path, errno);
    }

    /// <summary>
    /// Start-up self-check: verifies the embedded signatures of this process's own executable against the release
    /// role of <paramref name="trust"/>. The file is opened through <c>/proc/self/exe</c>, the inode this process was
    /// started from, so a file renamed over the executable's path since the start neither passes nor fails the check for it.
    /// </summary>
    /// <param name="trust">The trust root whose release keys and threshold decide.</param>
    /// <returns>The executable's path, its signed length and the keys that met the threshold.</returns>
    /// <exception cref="VerificationException">The executable is unsigned, altered, or not signed by enough trusted keys: stop.</exception>
    /// <exception cref="ConfigurationException">Not on Linux, or the executable cannot be read.</exception>
    public static BinarySignatureResult VerifySelf(TrustRoot trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        if (!OperatingSystem.IsLinux())
        {
            throw Error.VerifiedLaunchUnsupported();
        }

        return VerifyImage("/proc/self/exe", Environment.ProcessPath ?? "/proc/self/exe", trust);
    }

    /// <summary>Verifies the executable a running process was started from, opened through its <c>/proc/PID/exe</c> link.</summary>
    internal static BinarySignatureResult VerifyImage(string imageLink, string path, TrustRoot trust)
    {
        using var stream = LocalFiles.OpenLocal(new FileSystem(), imageLink, "own executable");
        return BinarySignature.VerifyOpen(stream, path, path, trust);
    }

    private static FileStream CopyToMemory(FileStream file, string path)
    {
        try
        {
            return DiskOperations.CopyToSealedMemory(file, "secure-update-run");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.InMemoryCopyFailed(path, ex);
        }
    }

    private static bool IsElf(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        try
        {
            stream.Position = 0;
            return stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && magic.SequenceEqual("\u007fELF"u8);
        }
        catch (IOException ex)
        {
            throw Error.FileUnreadable(What, path, ex);
        }
    }
}
