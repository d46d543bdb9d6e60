namespace SecureUpdate.Tests.Infrastructure;

/// <summary>One entry of a <see cref="TargetSnapshot"/>: relative path, kind, link text, content digest and Unix mode.</summary>
public sealed record SnapshotEntry(string RelativePath, SnapshotEntryKind Kind, string? LinkTarget, string? Sha256, UnixFileMode Mode)
{
    public override string ToString() => Kind switch
    {
        SnapshotEntryKind.Symlink => $"{RelativePath} -> {LinkTarget}",
        SnapshotEntryKind.Directory => $"{RelativePath}/ {Convert.ToString((int)Mode, 8)}",
        SnapshotEntryKind.Special => $"{RelativePath} special (type {LinkTarget}) {Convert.ToString((int)Mode, 8)}",
        _ => $"{RelativePath} {Convert.ToString((int)Mode, 8)} {Sha256?[..12]}",
    };
}
