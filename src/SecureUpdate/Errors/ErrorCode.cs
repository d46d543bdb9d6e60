namespace SecureUpdate.Errors;

/// <summary>
/// Why an operation failed. Each member has a fixed integer, written as <c>error_code</c> in
/// <c>events.log</c> (its snake_case name beside it as <c>error_name</c>); the integers are never
/// renumbered or reused, and new members take the next free number (docs/formats.md, "Error codes").
/// </summary>
public enum ErrorCode
{
    /// <summary>An unexpected internal error.</summary>
    Internal = 0,

    /// <summary>Bad command-line usage.</summary>
    Usage = 1,

    /// <summary>A configuration problem: a missing or invalid key, trust or state file, or an unusable target.</summary>
    Config = 2,

    /// <summary>Signatures missing, invalid, by untrusted keys, or short of the threshold.</summary>
    Signature = 3,

    /// <summary>A payload or document whose bytes do not match the signed digest or size.</summary>
    HashMismatch = 4,

    /// <summary>A signed document past its expiry.</summary>
    Expired = 5,

    /// <summary>A release below the target's version floor.</summary>
    Downgrade = 6,

    /// <summary>A document naming another app.</summary>
    WrongApp = 7,

    /// <summary>A document naming another channel.</summary>
    WrongChannel = 8,

    /// <summary>A manifest naming an unsafe or colliding path.</summary>
    UnsafePath = 9,

    /// <summary>A document, file count or size over its cap.</summary>
    TooLarge = 10,

    /// <summary>A verified document that is not valid for its schema.</summary>
    Malformed = 11,

    /// <summary>A manifest that is not the one its channel pointer binds.</summary>
    ManifestMismatch = 12,

    /// <summary>The feed could not be reached or read after retries.</summary>
    Transport = 13,

    /// <summary>The overall deadline passed.</summary>
    Timeout = 14,

    /// <summary>Installing failed and the target was left as it was.</summary>
    InstallFailed = 15,

    /// <summary>The new version failed its health check and was switched back.</summary>
    HealthCheckFailed = 16,

    /// <summary>The app did not exit within the companion's bounded wait; nothing was switched.</summary>
    AppStillRunning = 17,

    /// <summary>Another command holds the target's lock.</summary>
    Locked = 18,

    /// <summary>No installed version verifies.</summary>
    NotInstalled = 19,

    /// <summary>The trust root given is neither the one the target pinned nor an earlier root of its chain.</summary>
    TrustMismatch = 20,
}
