namespace SecureUpdate.Platform;

/// <summary>
/// What identifies an open file and the state of its content at one instant: the inode, its size,
/// its change and modification times to the nanosecond, and who may write it. Two equal stamps
/// taken before and after reading a file mean nothing wrote to it in between (kernels from 6.13 on
/// give a file that was just looked at a finer timestamp on its next write, so even a write within
/// the same clock tick shows).
/// </summary>
/// <param name="Device">The file system's device number (major &lt;&lt; 32 | minor).</param>
/// <param name="Inode">The inode number.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Modified">mtime, nanoseconds since the epoch.</param>
/// <param name="Changed">ctime, nanoseconds since the epoch.</param>
/// <param name="Owner">The owner's user id.</param>
/// <param name="Mode">The file type and permission bits (st_mode).</param>
internal readonly record struct FileStamp(ulong Device, ulong Inode, long Size, long Modified, long Changed, uint Owner, int Mode)
{
    /// <summary>The permission bits, without the file type.</summary>
    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
}
