using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// The one check of a target's layout on disk (threat: local footholds). Every folder and file the
/// layout names must be what it names (a real folder or a regular file, never a symlink or a special
/// file), on the same file system as the target, owned by the user we act as or root, and not
/// writable by group or others, because whoever can change any of them can change what is installed
/// or what the state says. Entries that do not exist yet are fine: they are created owner-only.
/// The check is repeated when the lock is held and right before a version folder is used; what stays
/// is the race between a check and the use, open only to whoever can write the target's folders,
/// which this same rule keeps to their owner.
/// </summary>
internal sealed class TargetSafety
{
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private readonly DiskOperations _disk;

    public TargetSafety(DiskOperations disk)
    {
        _disk = disk;
    }

    /// <summary>Checks the target's folder, the folders it keeps there, its state folder and every entry the layout names in it.</summary>
    /// <exception cref="ConfigurationException">An entry is unsafe.</exception>
    public void CheckLayout(TargetLayout layout)
    {
        var root = _disk.Inspect(layout.Root);
        if (root.Kind == LayoutEntryKind.Missing)
        {
            // A first install creates it, owner-only; every other command refuses a missing target itself.
            return;
        }

        if (root.Kind == LayoutEntryKind.Symlink)
        {
            // The usual cause is innocent (/bin -> usr/bin): name the real path to give instead.
            throw Error.TargetPathIsSymlink(layout.Root, _disk.FinalLinkTarget(layout.Root));
        }

        Require(layout.Root, root, LayoutEntryKind.Folder, root.Device);
        foreach (var folder in layout.RootFolders)
        {
            Check(folder, LayoutEntryKind.Folder, root.Device);
        }

        // A single file that is a named pipe or a device would block or worse when it is read: never
        // opened. A symlink there is refused by apply and fails verification (what runs through it
        // comes from outside the verified place).
        if (layout.File is { } single && _disk.Inspect(single).Kind is var singleKind && singleKind is not (LayoutEntryKind.Missing or LayoutEntryKind.RegularFile or LayoutEntryKind.Symlink))
        {
            throw Error.UnsafeTargetEntry(single, DiskOperations.KindProblem(singleKind));
        }

        if (Check(layout.State, LayoutEntryKind.Folder, root.Device).Kind == LayoutEntryKind.Missing)
        {
            return;
        }

        foreach (var folder in layout.StateFolders)
        {
            Check(folder, LayoutEntryKind.Folder, root.Device);
        }

        foreach (var file in layout.StateFiles.Where(f => f != layout.DebugAllowed))
        {
            Check(file, LayoutEntryKind.RegularFile, root.Device);
        }

        // The debug switch has its own owner-only gate, which explains why debug-shell is not
        // permitted; a symlink there would send that gate to a file outside the target.
        if (_disk.Inspect(layout.DebugAllowed).Kind == LayoutEntryKind.Symlink)
        {
            throw Error.UnsafeTargetEntry(layout.DebugAllowed, DiskOperations.KindProblem(LayoutEntryKind.Symlink));
        }
    }

    /// <summary>Checks that a version folder is a real folder inside the target, right before it is read or switched to.</summary>
    /// <exception cref="ConfigurationException">It is a symlink, not a folder, on another file system, or not owner-only writable.</exception>
    public void CheckVersionFolder(TargetLayout layout, string folder)
    {
        var root = _disk.Inspect(layout.Root);
        Require(layout.Root, root, LayoutEntryKind.Folder, root.Device);
        var entry = _disk.Inspect(folder);
        if (entry.Kind == LayoutEntryKind.Missing)
        {
            throw Error.UnsafeTargetEntry(folder, "does not exist");
        }

        Require(folder, entry, LayoutEntryKind.Folder, root.Device);
    }

    private LayoutEntry Check(string path, LayoutEntryKind kind, ulong device)
    {
        var entry = _disk.Inspect(path);
        if (entry.Kind != LayoutEntryKind.Missing)
        {
            Require(path, entry, kind, device);
        }

        return entry;
    }

    private void Require(string path, LayoutEntry entry, LayoutEntryKind kind, ulong device)
    {
        if (entry.Kind != kind)
        {
            throw Error.UnsafeTargetEntry(path, DiskOperations.KindProblem(entry.Kind));
        }

        if (entry.Device != device)
        {
            throw Error.UnsafeTargetEntry(path, "is on another file system than the target");
        }

        var us = _disk.EffectiveUserId;
        if (entry.Owner != us && entry.Owner != 0)
        {
            throw Error.UnsafeTargetEntry(path, $"is owned by another user (uid {entry.Owner}, not {us} or root)");
        }

        if ((entry.Mode & WritableByOthers) != 0)
        {
            throw Error.UnsafeTargetEntry(path, "is writable by group or others");
        }
    }
}
