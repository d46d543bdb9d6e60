namespace SecureUpdate.Errors;

/// <summary>The trust chain: rotation, freeze, rollback of trust, and continuity with what a target pinned.</summary>
internal static partial class Error
{
    /// <summary>A trust root document that is not valid once its signatures by the previous root were checked.</summary>
    public static VerificationException TrustRootInvalid(int version, string detail, Exception? inner = null) =>
        new(ErrorCode.Malformed, UpdateStage.Trust, $"Trust root {version} is not valid: {detail}.", inner);

    /// <summary>The feed's trust/N.json holds another version than N (a gap or a repeat in the chain).</summary>
    public static VerificationException TrustVersionNotNext(int expected, int found) =>
        new(ErrorCode.Malformed, UpdateStage.Trust, found <= expected - 1
            ? $"The feed's trust root {expected} says it is version {found}: a version repeats in the chain."
            : $"The feed's trust root {expected} says it is version {found}: the chain has a gap.");

    /// <summary>More rotations than one run walks (threat: endless data).</summary>
    public static VerificationException TrustChainTooLong(int maxSteps) =>
        new(ErrorCode.TooLarge, UpdateStage.Trust, $"The feed's trust chain goes on for more than {maxSteps} rotations in one run; refusing it.");

    /// <summary>The newest trust root has expired (threat: freeze).</summary>
    public static VerificationException TrustExpired(int version, DateTimeOffset expires) =>
        new(ErrorCode.Expired, UpdateStage.Trust, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Trust root {version}, the newest the feed serves, expired at {expires:u}: updates stop until a newer root is published."));

    /// <summary>The feed no longer serves the root the target pinned, or serves another one under its number (threat: rollback of trust).</summary>
    public static VerificationException TrustRolledBack(int pinned, bool missing) =>
        new(ErrorCode.Downgrade, UpdateStage.Trust, missing
            ? $"The feed serves no trust root {pinned}, although this target already trusts root {pinned}: the feed is behind (a rollback of trust)."
            : $"The feed's trust root {pinned} is not the root {pinned} this target trusts: refusing the feed.");

    /// <summary>The trust root given is not the target's pinned root nor an earlier root of its chain.</summary>
    public static VerificationException TrustMismatch(string target, int givenVersion, int pinnedVersion) =>
        new(ErrorCode.TrustMismatch, UpdateStage.Trust, $"The trust root given (version {givenVersion}) is neither the one '{Printable.Of(target)}' pinned (version {pinnedVersion}) nor an earlier root of its chain; nothing was changed. Re-provisioning a target's trust is an explicit step: replace its pinned trust root on purpose.") { Path = target };

    /// <summary>A document signed by keys the release role does not hold (revoked, or never trusted) when publishing.</summary>
    public static VerificationException KeyNotInReleaseRole(string keyId, int version) =>
        new(ErrorCode.Signature, UpdateStage.Release, $"Key {keyId} is not a signing key of the release role of the feed's trust root {version}; refusing to sign a release with it.");

    /// <summary>A published document without enough signatures.</summary>
    public static VerificationException NotEnoughSignatures(UpdateStage stage, string what, int counted, int threshold) =>
        new(ErrorCode.Signature, stage, $"The {what} has {counted} valid signatures of the {threshold} required; nothing was published.");
}
