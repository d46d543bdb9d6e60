namespace SecureUpdate.Errors;

/// <summary>The step an operation was in when it failed; printed in lowercase as <c>stage</c>.</summary>
public enum UpdateStage
{
    /// <summary>Reading arguments, keys, trust or state.</summary>
    Config,

    /// <summary>Taking the target's lock.</summary>
    Lock,

    /// <summary>Fetching and verifying the channel pointer.</summary>
    Channel,

    /// <summary>Fetching and verifying the release manifest.</summary>
    Manifest,

    /// <summary>Downloading and verifying payload files.</summary>
    Payload,

    /// <summary>Staging verified files under the target.</summary>
    Stage,

    /// <summary>Switching the target to the new version.</summary>
    Install,

    /// <summary>Re-verifying an installed version.</summary>
    Verify,

    /// <summary>Publishing a release into a feed.</summary>
    Release,

    /// <summary>A command entered at the debug-shell prompt.</summary>
    Maintenance,

    /// <summary>Reading and verifying the trust chain, or matching the trust root given with the one pinned.</summary>
    Trust,
}
