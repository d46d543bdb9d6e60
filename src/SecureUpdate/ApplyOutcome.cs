namespace SecureUpdate;

/// <summary>What a successful apply did.</summary>
public enum ApplyOutcome
{
    /// <summary>The first version was installed into the target.</summary>
    Installed,

    /// <summary>The target was switched to a newer version.</summary>
    Updated,

    /// <summary>The target already runs the channel's version (or the newest it accepts); nothing changed.</summary>
    Current,

    /// <summary>The new version was verified into <c>versions/</c> without switching <c>current</c>.</summary>
    Staged,

    /// <summary>The channel's newest version is rolled out to a percentage of hosts that does not include this one (<see cref="ApplyRequest.HostId"/>); nothing changed.</summary>
    NotInRollout,
}
