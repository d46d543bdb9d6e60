using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <content>
/// Staging at the speed of the disk: files created without truncating, locking or a second chmod,
/// written back early (<see cref="StagingFileStream"/>), cloned from an installed copy where the file
/// system shares extents (reflink), and made durable together in one pass at the end instead of one
/// fsync per file.
/// </content>
internal sealed partial class DiskOperations
{
    /// <summary>
    /// Creates a new staging file that must not exist yet, with exactly <paramref name="mode"/> (set on the
    /// open descriptor, whatever the umask), open for reading and writing. Nothing truncates or locks it:
    /// it is new, and it lives in an owner-only staging folder. The caller makes it durable with
    /// <see cref="MakeDurable"/> once every file is staged.
    /// </summary>
    /// <exception cref="IOException">It exists already, or cannot be created.</exception>
    public FileStream CreateStagingFile(string path, UnixFileMode mode = OwnerOnlyFile)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return new StagingFileStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None));
        }

        var handle = UnixCreateStagingFile(path, mode);
        try
        {
            return new StagingFileStream(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Gives the file open as <paramref name="stream"/> exactly <paramref name="mode"/>, on its descriptor (no path is followed); nothing on Windows.</summary>
    public static void SetMode(FileStream stream, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stream.SafeFileHandle, mode);
        }
    }

    /// <summary>
    /// Asks the kernel to start writing <paramref name="count"/> bytes at <paramref name="offset"/> of
    /// an open file to disk, without waiting (Linux <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>;
    /// nothing elsewhere). An optimisation only: durability comes from <see cref="MakeDurable"/>.
    /// </summary>
    public static void StartWriteback(SafeFileHandle handle, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (OperatingSystem.IsLinux())
        {
            UnixStartWriteback(handle, offset, count);
        }
    }

    /// <summary>
    /// Makes every file in <paramref name="files"/> (all inside <paramref name="folder"/>) durable: their
    /// data and metadata are on disk when this returns. Folders are not included: the caller fsyncs them.
    /// </summary>
    /// <exception cref="IOException">The file system reported a write error.</exception>
    public void MakeDurable(string folder, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(files);
        if (OperatingSystem.IsWindows())
        {
            foreach (var file in files)
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 1);
                stream.Flush(flushToDisk: true);
            }
        }
        else
        {
            UnixMakeDurable(folder, files);
        }
    }

    /// <summary>
    /// Makes <paramref name="destination"/> (a new, empty staging file) share the data of
    /// <paramref name="source"/> without copying it (a reflink: Linux <c>FICLONE</c>, on XFS, Btrfs and
    /// others). False when the file system or the system cannot, and the caller copies instead. The
    /// clone is exactly the source's bytes at this instant; the caller still has to verify them.
    /// </summary>
    public bool TryClone(SafeFileHandle source, FileStream destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        return OperatingSystem.IsLinux() && UnixTryClone(source, destination.SafeFileHandle);
    }
}
