namespace SecureUpdate.Platform;

/// <content>
/// Writing a whole file of any size atomically: written by the caller into a temporary file in the
/// same folder, given its exact mode, fsynced and renamed over the old one, so a reader sees either
/// the old file or the complete new one, never a half-written one.
/// </content>
internal sealed partial class DiskOperations
{
    /// <summary>The permission bits (read, write, execute for owner, group, others) of the file <paramref name="stream"/> is open on; <see cref="Regular"/> on Windows.</summary>
    public static UnixFileMode PermissionsOf(FileStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        const UnixFileMode permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() ? Regular : File.GetUnixFileMode(stream.SafeFileHandle) & permissions;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with what <paramref name="write"/> writes, atomically and durably,
    /// with exactly <paramref name="mode"/> (whatever the umask). When <paramref name="write"/> throws,
    /// the temporary file is removed and <paramref name="path"/> is left as it was.
    /// </summary>
    public void WriteFileAtomic(string path, UnixFileMode mode, Action<Stream> write) =>
        WriteAtomic(path, mode, exactMode: true, write);

    /// <summary>The one atomic write: a temporary file beside <paramref name="path"/>, fsync, rename over, folder fsync.</summary>
    private void WriteAtomic(string path, UnixFileMode mode, bool exactMode, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = CreateNew(temporary, mode))
            {
                write(stream);
                if (exactMode && !OperatingSystem.IsWindows())
                {
                    // The create mode went through the umask; the file keeps the mode it had.
                    File.SetUnixFileMode(stream.SafeFileHandle, mode);
                }

                stream.Flush(flushToDisk: true);
            }

            RenameOver(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        FsyncDirectory(directory);
    }
}
