using System.IO.Abstractions;
using SecureUpdate.Errors;

namespace SecureUpdate.Platform;

/// <summary>
/// Reads local files (keys, trust, state, feed folders, installed copies) with a size cap (threat:
/// endless data, even from local files), and only when they are regular files (threat: special
/// files: a named pipe would block the open for ever, a device would never end).
/// </summary>
internal static class LocalFiles
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading when it is a regular file (<see cref="DiskOperations.OpenRegularFile"/>);
    /// with <paramref name="noFollow"/> a final symlink is refused too (for paths inside a target's layout).
    /// </summary>
    /// <exception cref="NotRegularFileException">It is a named pipe, socket, device or folder (or a symlink, with <paramref name="noFollow"/>).</exception>
    public static Stream OpenRegular(IFileSystem fileSystem, string path, bool noFollow = false)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);

        // Only the real disk has special files, and the check is made on its descriptor; an in-memory
        // file system (the unit tests' MockFileSystem) holds regular files only and is read through itself.
        return fileSystem is FileSystem
            ? DiskOperations.OpenRegularFile(path, noFollow)
            : fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    /// <summary>Like <see cref="OpenRegular"/>, for a local file that is streamed rather than read whole (the event log).</summary>
    /// <exception cref="ConfigurationException">The file is missing, unreadable or not a regular file.</exception>
    public static Stream OpenLocal(IFileSystem fileSystem, string path, string what)
    {
        try
        {
            return OpenRegular(fileSystem, path);
        }
        catch (NotRegularFileException ex)
        {
            throw Error.NotRegularFile(what, path, ex.Problem, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable(what, path, ex);
        }
    }

    /// <summary>Reads at most <paramref name="cap"/> bytes of <paramref name="path"/>, a regular file.</summary>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, not a regular file or larger than the cap.</exception>
    public static byte[] ReadCapped(IFileSystem fileSystem, string path, int cap, string what) =>
        ReadCapped(fileSystem, path, cap, what, out _);

    /// <summary>
    /// Like <see cref="ReadCapped(IFileSystem, string, int, string)"/>; <paramref name="accessibleByOthers"/>
    /// tells whether group or others may read or write the file that was read (for a private key).
    /// </summary>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, not a regular file or larger than the cap.</exception>
    public static byte[] ReadCapped(IFileSystem fileSystem, string path, int cap, string what, out bool accessibleByOthers)
    {
        try
        {
            using var stream = OpenRegular(fileSystem, path);
            accessibleByOthers = stream is FileStream file && DiskOperations.IsAccessibleByOthers(file);
            var buffer = new byte[cap + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > cap)
            {
                throw Error.FileTooLarge(what, path, cap);
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        catch (NotRegularFileException ex)
        {
            throw Error.NotRegularFile(what, path, ex.Problem, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable(what, path, ex);
        }
    }
}
