namespace SecureUpdate;

/// <summary>The two kinds of target.</summary>
public enum TargetKind
{
    /// <summary>A folder: <c>versions/VERSION/</c>, a <c>current</c> symlink switched atomically, state in <c>.secure-update/</c>.</summary>
    Folder,

    /// <summary>One executable replaced in place by a release of exactly one file, its previous version kept; state beside it in <c>.NAME.secure-update/</c>.</summary>
    File,
}
