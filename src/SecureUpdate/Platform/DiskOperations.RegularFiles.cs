namespace SecureUpdate.Platform;

/// <content>
/// Opening a file for reading only when it is a regular file (threat: special files). A named pipe
/// blocks <c>open()</c> until a writer comes, a character device such as <c>/dev/zero</c> never ends,
/// a block device is a whole disk, and a socket cannot be opened at all: each is refused here, with
/// what it is, before a byte is read. The check is made on the opened descriptor, so it holds for
/// exactly the bytes that are then read.
/// </content>
internal sealed partial class DiskOperations
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading if, and only if, it is a regular file: opened without
    /// blocking (and, with <paramref name="noFollow"/>, without following a final symlink), checked with
    /// <c>fstat</c> on the descriptor, then switched back to blocking reads.
    /// </summary>
    /// <exception cref="NotRegularFileException">It is a named pipe, socket, device, folder, or (with <paramref name="noFollow"/>) a symlink.</exception>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="IOException">It cannot be opened (permissions and other errors are <see cref="UnauthorizedAccessException"/> or <see cref="IOException"/>).</exception>
    public static FileStream OpenRegularFile(string path, bool noFollow = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return WindowsOpenRegularFile(path, noFollow);
        }

        var handle = UnixOpenNonBlocking(path, noFollow);
        try
        {
            if (UnixNotRegularProblem(handle) is { } problem)
            {
                throw new NotRegularFileException(path, problem);
            }

            UnixClearNonBlocking(handle, path);
            return new FileStream(handle, FileAccess.Read, bufferSize: 0, isAsync: false);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending, created owner-only when missing, if, and only if, it is a
    /// regular file: opened without blocking and without following a final symlink, checked on the descriptor.
    /// </summary>
    /// <exception cref="NotRegularFileException">It is a named pipe, socket, device, folder or symlink.</exception>
    public static FileStream OpenRegularFileForAppend(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read });
        }

        var handle = UnixOpenAppendNonBlocking(path);
        try
        {
            if (UnixNotRegularProblem(handle) is { } problem)
            {
                throw new NotRegularFileException(path, problem);
            }

            UnixClearNonBlocking(handle, path);
            return new FileStream(handle, FileAccess.Write, bufferSize: 0, isAsync: false);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Checks that <paramref name="path"/> is a regular file (see <see cref="OpenRegularFile"/>) without reading it.</summary>
    /// <exception cref="NotRegularFileException">It is not.</exception>
    public static void CheckRegularFile(string path, bool noFollow = false)
    {
        using var stream = OpenRegularFile(path, noFollow);
    }

    /// <summary>
    /// Whether group or others may read or write the regular file <paramref name="stream"/> was opened on
    /// (for a private key: it should be 0600). False on Windows, where ACLs decide.
    /// </summary>
    public static bool IsAccessibleByOthers(FileStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(stream.SafeFileHandle) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;
    }
}
