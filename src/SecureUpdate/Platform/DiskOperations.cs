using Microsoft.Win32.SafeHandles;
using SecureUpdate.Errors;

namespace SecureUpdate.Platform;

/// <summary>
/// The one place where real-disk guarantees and operating-system calls are the point: fsync of
/// files and folders, atomic rename over an existing entry, symlink switches, hard links, exact
/// permissions, owner checks and locks. One instance is injected into every component that changes
/// a target; everything else goes through <see cref="System.IO.Abstractions.IFileSystem"/>.
/// The public methods are the same on every system; the work is in <c>DiskOperations.Unix.cs</c>
/// and <c>DiskOperations.Windows.cs</c> (only the Unix side is implemented and tested here).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance injected into every component, so that no code outside this folder reaches the disk or the system directly.")]
internal sealed partial class DiskOperations
{
    /// <summary>rwx------ for state and staging folders.</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw------- for private files.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwxr-xr-x for installed folders and executables.</summary>
    public const UnixFileMode Executable = OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>rw-r--r-- for installed files.</summary>
    public const UnixFileMode Regular = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Flushes a folder's entries to disk, so a rename inside it survives power loss.</summary>
    public void FsyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsFsyncDirectory(path);
        }
        else
        {
            UnixFsyncDirectory(path);
        }
    }

    /// <summary>Atomically renames <paramref name="source"/> over <paramref name="destination"/> (replacing a file or symlink, never a folder).</summary>
    public void RenameOver(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsRenameOver(source, destination);
        }
        else
        {
            UnixRenameOver(source, destination);
        }
    }

    /// <summary>Points <paramref name="linkPath"/> at <paramref name="relativeTarget"/> atomically: a new symlink renamed over the old one, then the folder flushed.</summary>
    public void SwitchSymlink(string linkPath, string relativeTarget)
    {
        var directory = Path.GetDirectoryName(linkPath)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(linkPath)}.{Guid.NewGuid():N}.tmp");
        File.CreateSymbolicLink(temporary, relativeTarget);
        try
        {
            RenameOver(temporary, linkPath);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        FsyncDirectory(directory);
    }

    /// <summary>Removes a symlink (never what it points at) and flushes its folder.</summary>
    public void RemoveSymlink(string linkPath)
    {
        File.Delete(linkPath);
        FsyncDirectory(Path.GetDirectoryName(linkPath)!);
    }

    /// <summary>Creates a folder (and parents) and sets its mode exactly, whatever the umask.</summary>
    public void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, mode);
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Sets a Unix mode exactly (nothing on Windows, which has no mode bits).</summary>
    public void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>True where files carry no executable bit (Windows): a signed bit cannot be checked there.</summary>
    public bool IgnoresExecutableBit => OperatingSystem.IsWindows();

    /// <summary>Whether the owner may execute <paramref name="path"/>; on Windows every file counts as executable.</summary>
    public bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    /// <summary>Whether group or others may write <paramref name="path"/> (false on Windows, where ACLs decide).</summary>
    public bool IsWritableByOthers(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>Writes a whole small file durably: temporary file, fsync, rename over, folder fsync.</summary>
    public void WriteFileAtomic(string path, byte[] contents, UnixFileMode mode) =>
        WriteAtomic(path, mode, exactMode: false, stream => stream.Write(contents));

    /// <summary>
    /// Appends one line to a log file (created owner-only) and makes it durable before returning. Only a
    /// regular file is appended to (<see cref="OpenRegularFileForAppend"/>): a named pipe planted as the log
    /// would otherwise block the open, with the target's lock held.
    /// </summary>
    /// <exception cref="NotRegularFileException">The log is a named pipe, socket, device, folder or symlink.</exception>
    public void AppendDurably(string path, ReadOnlySpan<byte> line)
    {
        using var stream = OpenRegularFileForAppend(path);
        stream.Write(line);
        stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Creates a new file that must not exist yet, with <paramref name="mode"/> from the start (no window with wider permissions).</summary>
    public FileStream CreateNew(string path, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Makes <paramref name="newPath"/> a second name of <paramref name="existing"/> (same file system).</summary>
    public void HardLink(string existing, string newPath)
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsHardLink(existing, newPath);
        }
        else
        {
            UnixHardLink(existing, newPath);
        }
    }

    /// <summary>
    /// Reads a small local control file (an allowlist, the debug switch) that only its owner may
    /// change: a regular file owned by the current user or root, not writable by group or others.
    /// The check is made on the open handle, so it holds for exactly the bytes that are read.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, too large or not owner-only.</exception>
    public byte[] ReadOwnerOnlyFile(string path, int cap, string what)
    {
        try
        {
            using var handle = OpenOwnerOnly(path, what);
            var length = RandomAccess.GetLength(handle);
            if (length > cap)
            {
                throw Error.FileTooLarge(what, path, cap);
            }

            var buffer = new byte[length];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0)
            {
                total += read;
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable(what, path, ex);
        }
    }

    /// <summary>Checks that <paramref name="path"/> is an owner-only control file (see <see cref="ReadOwnerOnlyFile"/>) without reading it.</summary>
    /// <exception cref="ConfigurationException">It is missing, unreadable or not owner-only.</exception>
    public void CheckOwnerOnlyFile(string path, string what)
    {
        try
        {
            using var handle = OpenOwnerOnly(path, what);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable(what, path, ex);
        }
    }

    private SafeFileHandle OpenOwnerOnly(string path, string what)
    {
        var handle = OperatingSystem.IsWindows() ? WindowsOpenForReading(path) : UnixOpenNonBlocking(path);
        if (OwnerOnlyProblem(handle) is { } problem)
        {
            handle.Dispose();
            throw Error.NotOwnerOnly(what, path, problem);
        }

        return handle;
    }

    /// <summary>Why the open file is not owner-only (regular, owned by us or root, no group/other write), or null when it is.</summary>
    internal static string? OwnerOnlyProblem(SafeFileHandle handle) =>
        OperatingSystem.IsWindows() ? WindowsOwnerOnlyProblem() : UnixOwnerOnlyProblem(handle);
}
