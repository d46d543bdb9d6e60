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

    /// <summary>
    /// The installed version does not verify, debug-shell was configured and is permitted on this
    /// machine, and nothing was switched: a developer may inspect it (<c>secure-update verify
    /// --fallback debug-shell</c> opens the prompt); an app should not carry on as if verified.
    /// </summary>
    DebugShell,
}
