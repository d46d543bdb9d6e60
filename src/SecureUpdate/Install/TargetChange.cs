namespace SecureUpdate.Install;

/// <summary>The journaled changes to a target; each kind of target names them in its journal (docs/formats.md, "Journal").</summary>
internal enum TargetChange
{
    /// <summary>A verified version moved into the target without switching (folder targets).</summary>
    Stage,

    /// <summary>A verified version moved in and switched to.</summary>
    Install,

    /// <summary>A switch back to an earlier installed version that verifies.</summary>
    Rollback,

    /// <summary>A switch back from a version that did not confirm itself healthy (folder targets).</summary>
    Revert,
}
