namespace SecureUpdate.Errors;

/// <content>Targets: where they are, what they hold, and changing them.</content>
internal static partial class Error
{
    /// <summary>An app or channel id that is not a valid identifier.</summary>
    public static ConfigurationException InvalidIdentifier(string what, string value, string setting) =>
        Usage($"The {what} '{Printable.Of(value)}' is not valid: use 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.", setting);

    /// <summary>A first install without an app id.</summary>
    public static ConfigurationException AppRequired(string target) =>
        new(ErrorCode.Usage, UpdateStage.Config, $"An app id is required for the first install into '{Printable.Of(target)}'.") { Setting = "App", Path = target };

    /// <summary>A check of a target with nothing installed, without an app id.</summary>
    public static ConfigurationException AppRequiredToCheck(string target) =>
        new(ErrorCode.Usage, UpdateStage.Config, $"An app id is required to check '{Printable.Of(target)}': nothing is installed there.") { Setting = "App", Path = target };

    /// <summary>A request for another app than the target holds.</summary>
    public static ConfigurationException OtherApp(string target, string installed, string requested) =>
        new(ErrorCode.Config, UpdateStage.Config, $"'{Printable.Of(target)}' holds app '{installed}', not '{requested}'.") { Setting = "App", Path = target };

    /// <summary>An operation the kind of target cannot do (staging a single file, for example).</summary>
    public static ConfigurationException NotForThisTarget(string what, string target, string setting) =>
        Usage($"{what} applies to folder targets, not to the single file '{Printable.Of(target)}'.", setting);

    /// <summary>A target that is not where, or not what, it must be.</summary>
    public static ConfigurationException UnsafeTarget(string path, string problem) =>
        new(ErrorCode.Config, UpdateStage.Config, $"'{Printable.Of(path)}' {problem}.") { Path = path };

    /// <summary>A target without a pinned trust root, when the request gives none.</summary>
    public static ConfigurationException NoPinnedTrust(string target) =>
        new(ErrorCode.Config, UpdateStage.Config, $"'{Printable.Of(target)}' has no pinned trust root; give the trust root it was installed with.") { Setting = "Trust", Path = target };

    /// <summary>A state, journal or events file that cannot be what it claims to be.</summary>
    public static ConfigurationException StateDamaged(string what, string path, string reason, Exception? inner = null) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The target's {what} '{Printable.Of(path)}' is damaged: {reason}.", inner) { Path = path };

    /// <summary>Another command holds the target's lock.</summary>
    public static TargetLockedException Locked(string target) =>
        new(ErrorCode.Locked, UpdateStage.Lock, $"Another secure-update command is working on '{Printable.Of(target)}'; try again when it has finished.") { Path = target };

    /// <summary>Nothing is installed in the target.</summary>
    public static NotInstalledException NothingInstalled(string target) =>
        new(ErrorCode.NotInstalled, UpdateStage.Verify, $"No version is installed in '{Printable.Of(target)}'.") { Path = target };

    /// <summary>The target has no state folder at all.</summary>
    public static NotInstalledException NoState(string target) =>
        new(ErrorCode.NotInstalled, UpdateStage.Verify, $"'{Printable.Of(target)}' has no SecureUpdate state.") { Path = target };

    /// <summary>No earlier installed version verifies, so nothing was rolled back.</summary>
    public static NotInstalledException NothingToRollBackTo(string target, string current) =>
        new(ErrorCode.NotInstalled, UpdateStage.Verify, $"No installed version of '{Printable.Of(target)}' below {current} verifies; nothing was switched.") { Version = current, Path = target };

    /// <summary>The current version does not verify and no other does (hard reset found nothing): reinstall.</summary>
    public static NotInstalledException ReinstallNeeded(VerificationException failure, string target) =>
        new(ErrorCode.NotInstalled, UpdateStage.Verify, failure.Code == ErrorCode.Signature
            ? $"{failure.Message} No other installed version verifies: '{Printable.Of(target)}' needs a reinstall (or the trust root given is not the one it was installed with)."
            : $"{failure.Message} No other installed version verifies: '{Printable.Of(target)}' needs a reinstall.", failure) { Version = failure.Version, Path = target };

    /// <summary>The current version did not verify; the hard reset switched back to one that does.</summary>
    public static VerificationException ResetTo(VerificationException failure, string version) =>
        new(failure.Code, UpdateStage.Verify, $"{failure.Message} Switched back to {version}, the newest installed version that verifies.", failure) { Version = version };

    /// <summary>The current version did not verify; debug-shell is permitted, so nothing was switched.</summary>
    public static VerificationException LeftForDebugShell(VerificationException failure, string note) =>
        new(failure.Code, UpdateStage.Verify, failure.Message + note, failure) { LeftForDebugShell = true, Version = failure.Version };

    /// <summary>A kept manifest that is missing its signatures or cannot be read.</summary>
    public static VerificationException InstalledManifestMissing(string version, Exception inner) =>
        new(ErrorCode.Signature, UpdateStage.Verify, $"The signed manifest of installed version {version} is missing or unreadable.", inner) { Version = version };

    /// <summary>An installed version whose files do not match its signed manifest.</summary>
    public static VerificationException InstalledMismatch(string version, string detail) =>
        new(ErrorCode.HashMismatch, UpdateStage.Verify, $"Installed version {version} does not verify: {detail}.") { Version = version };

    /// <summary>A staged version whose files do not match; nothing was switched.</summary>
    public static VerificationException StagedNotSwitched(VerificationException failure, string restart) =>
        new(failure.Code, failure.Stage, $"{failure.Message} Nothing was switched; {restart}.", failure) { Version = failure.Version };

    /// <summary>Installing failed and was undone (or recovery is pending).</summary>
    public static InstallException InstallFailed(string version, string target, string reason, string settled, Exception inner) =>
        new(ErrorCode.InstallFailed, UpdateStage.Install, $"Installing {version} into '{Printable.Of(target)}' failed: {reason.TrimEnd('.')}; {settled}.", inner) { Version = version, Path = target };

    /// <summary>A first install that failed with an unexpected error; what it made was removed.</summary>
    public static InstallException FirstInstallUndone(string target, Exception inner) =>
        new(ErrorCode.InstallFailed, UpdateStage.Install, $"Installing into '{Printable.Of(target)}' failed and was undone: {inner.Message}", inner) { Path = target };

    /// <summary>The new version failed its health check (or could not be started) and was switched back.</summary>
    public static InstallException Unhealthy(string version, string detail) =>
        new(ErrorCode.HealthCheckFailed, UpdateStage.Install, char.ToUpperInvariant(detail[0]) + detail[1..]) { Version = version };

    /// <summary>The app did not exit within the companion's bounded wait.</summary>
    public static InstallException AppStillRunning(int pid, TimeSpan timeout) =>
        new(ErrorCode.AppStillRunning, UpdateStage.Install, $"Process {pid} did not exit within {timeout.TotalSeconds:0} s; nothing was switched.");

    /// <summary>The head of the audit log cannot be read as one.</summary>
    public static VerificationException EventsHeadDamaged(Exception inner) =>
        new(ErrorCode.Malformed, UpdateStage.Verify, $"events.head is damaged: {inner.Message}.", inner);

    /// <summary>The audit log was edited, reordered, removed or cut.</summary>
    public static VerificationException AuditLogBroken(string where) =>
        new(ErrorCode.Malformed, UpdateStage.Verify, $"The audit log is not intact: {where}.");

    /// <summary>A target path that is empty or not a path.</summary>
    public static ConfigurationException TargetPathInvalid(string path, Exception? inner = null) =>
        new(ErrorCode.Usage, UpdateStage.Config, $"'{Printable.Of(path)}' is not a usable target path.", inner) { Setting = "Target" };
}
