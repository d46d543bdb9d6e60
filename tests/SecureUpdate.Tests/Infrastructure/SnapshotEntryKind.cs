namespace SecureUpdate.Tests.Infrastructure;

/// <summary>The kind of a captured file system entry.</summary>
public enum SnapshotEntryKind
{
    File,
    Directory,
    Symlink,
}
