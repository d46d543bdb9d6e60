namespace SecureUpdate;

/// <summary>What a feed check found.</summary>
public enum UpdateCheckOutcome
{
    /// <summary>The channel pointer is unchanged since the previous check (one small 304 response).</summary>
    NotModified,

    /// <summary>The channel's version is installed, or was rejected on this target.</summary>
    NoUpdate,

    /// <summary>A newer verified version is available for this host.</summary>
    Available,

    /// <summary>A newer version is rolled out to a percentage of hosts that does not include this one.</summary>
    NotInRollout,
}
