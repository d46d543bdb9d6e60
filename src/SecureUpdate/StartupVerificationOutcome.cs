namespace SecureUpdate;

/// <summary>The outcome of start-up self-verification.</summary>
public enum StartupVerificationOutcome
{
    /// <summary>The installed version matches its signed manifest: carry on.</summary>
    Verified,

    /// <summary>
    /// The running version did not verify and the target was switched back to an earlier one that
    /// does (hard reset): exit, so that the verified version is started.
    /// </summary>
    Reset,

    /// <summary>No installed version verifies: stop; the installation needs a reinstall.</summary>
    ReinstallNeeded,
}
