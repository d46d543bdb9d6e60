namespace SecureUpdate.Platform;

/// <summary>What a path is, as <c>lstat</c> sees it: a symlink is reported as one, never followed.</summary>
internal enum LayoutEntryKind
{
    /// <summary>Nothing at the path.</summary>
    Missing,

    /// <summary>A real folder.</summary>
    Folder,

    /// <summary>A regular file.</summary>
    RegularFile,

    /// <summary>A symbolic link (to anything, or dangling).</summary>
    Symlink,

    /// <summary>A named pipe (FIFO).</summary>
    NamedPipe,

    /// <summary>A socket.</summary>
    Socket,

    /// <summary>A character device node.</summary>
    CharacterDevice,

    /// <summary>A block device node.</summary>
    BlockDevice,
}
