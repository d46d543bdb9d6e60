namespace SecureUpdate.Tests.Infrastructure;

/// <summary>The kind of a captured file system entry.</summary>
public enum SnapshotEntryKind
{
    File,
    Directory,
    Symlink,

    /// <summary>A named pipe, device or socket: recorded by its kind, never read (it could block or never end).</summary>
    Special,
}
