using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>
/// Verified launch: opens a program once, checks its embedded signature trailer (<see cref="BinarySignature"/>)
/// through that descriptor, and executes that same descriptor, so a file swapped over the path between the
/// check and the start is never run. Linux only; ELF programs only (a script's interpreter would open it again by path).
/// </summary>
public static class VerifiedLaunch
{
    private const string What = "file to run";

    /// <summary>
    /// Verifies <paramref name="path"/> against the release role of <paramref name="trust"/> and replaces this
    /// process with it, passing <paramref name="arguments"/>. On success this method does not return.
    /// </summary>
    /// <param name="path">The program, absolute or relative to the current directory.</param>
    /// <param name="trust">The trust root whose release keys and threshold decide.</param>
    /// <param name="arguments">The program's arguments (without its name, which is <paramref name="path"/>).</param>
    /// <exception cref="VerificationException">The embedded signatures do not verify: nothing was started.</exception>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, not a regular file, not an ELF program, or the kernel refused to execute it: nothing was started.</exception>
    public static void Execute(string path, TrustRoot trust, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!OperatingSystem.IsLinux())
        {
            throw Error.VerifiedLaunchUnsupported();
        }

        var fileSystem = new FileSystem();
        using var stream = LocalFiles.OpenLocal(fileSystem, path, What);
        var file = (FileStream)stream;
        BinarySignature.VerifyOpen(stream, path, fileSystem.Path.GetFullPath(path), trust);
        if (!IsElf(stream, path))
        {
            throw Error.NotAnElfExecutable(path);
        }

        FaultInjection.Pause("after-verify-before-exec");
        var errno = DiskOperations.ExecuteDescriptor(file.SafeFileHandle, [path, .. arguments]);
        throw Error.CannotExecute(path, errno);
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
