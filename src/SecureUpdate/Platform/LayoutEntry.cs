namespace SecureUpdate.Platform;

/// <summary>
/// One entry of a target's layout as the system sees it without following a symlink: its kind, its
/// owner, its permission bits and the file system (device) it lives on.
/// </summary>
/// <param name="Kind">What the path is.</param>
/// <param name="Owner">The owner's uid (0 where the system has no owner to report).</param>
/// <param name="Mode">The permission bits.</param>
/// <param name="Device">The device of the file system holding it (0 where the system has none to report).</param>
internal readonly record struct LayoutEntry(LayoutEntryKind Kind, uint Owner, UnixFileMode Mode, ulong Device)
{
    /// <summary>Nothing at the path.</summary>
    public static LayoutEntry Missing => new(LayoutEntryKind.Missing, 0, UnixFileMode.None, 0);
}
