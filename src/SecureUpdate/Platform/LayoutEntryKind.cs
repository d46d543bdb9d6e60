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

    /// <summary>A named pipe, a socket or a device node.</summary>
    Special,
}
