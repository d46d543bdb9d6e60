namespace SecureUpdate.Errors;

/// <summary>Why an operation failed; stable, and printed in snake_case as <c>error_code</c>.</summary>
public enum ErrorCode
{
    /// <summary>An unexpected internal error.</summary>
    Internal,

    /// <summary>Bad command-line usage.</summary>
    Usage,

    /// <summary>A configuration problem: a missing or invalid key, trust or state file, or an unusable target.</summary>
    Config,

    /// <summary>Signatures missing, invalid, by untrusted keys, or short of the threshold.</summary>
    Signature,

    /// <summary>A payload or document whose bytes do not match the signed digest or size.</summary>
    HashMismatch,

    /// <summary>A signed document past its expiry.</summary>
    Expired,

    /// <summary>A release below the target's version floor.</summary>
    Downgrade,

    /// <summary>A document naming another app.</summary>
    WrongApp,

    /// <summary>A document naming another channel.</summary>
    WrongChannel,

    /// <summary>A manifest naming an unsafe or colliding path.</summary>
    UnsafePath,

    /// <summary>A document, file count or size over its cap.</summary>
    TooLarge,

    /// <summary>A verified document that is not valid for its schema.</summary>
    Malformed,

    /// <summary>A manifest that is not the one its channel pointer binds.</summary>
    ManifestMismatch,

    /// <summary>The feed could not be reached or read after retries.</summary>
    Transport,

    /// <summary>The overall deadline passed.</summary>
    Timeout,

    /// <summary>Installing failed and the target was left as it was.</summary>
    InstallFailed,

    /// <summary>The new version failed its health check and was switched back.</summary>
    HealthCheckFailed,

    /// <summary>The app did not exit within the companion's bounded wait; nothing was switched.</summary>
    AppStillRunning,

    /// <summary>Another command holds the target's lock.</summary>
    Locked,

    /// <summary>No installed version verifies.</summary>
    NotInstalled,

    /// <summary>The trust root given is neither the one the target pinned nor an earlier root of its chain.</summary>
    TrustMismatch,
}
