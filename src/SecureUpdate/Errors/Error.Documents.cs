namespace SecureUpdate.Errors;

/// <content>Signatures, documents and the policy checks on them: refusals (exit 3).</content>
internal static partial class Error
{
    /// <summary>A signature envelope that cannot be read as one.</summary>
    public static VerificationException SignatureFileInvalid(UpdateStage stage, string what, FormatException inner) =>
        new(ErrorCode.Signature, stage, $"The signature file of the {what} is not valid: {inner.Message}.", inner);

    /// <summary>Signatures over a digest that is not the document's.</summary>
    public static VerificationException SignaturesForOtherBytes(UpdateStage stage, string what) =>
        new(ErrorCode.Signature, stage, $"The signatures of the {what} are for other bytes: the {what} was altered.");

    /// <summary>Too few distinct trusted keys signed.</summary>
    public static VerificationException ThresholdNotMet(UpdateStage stage, string what, int counted, int threshold) =>
        new(ErrorCode.Signature, stage, $"The {what} is not signed by enough trusted keys: {counted} of the {threshold} required.");

    /// <summary>A document served without its signature file.</summary>
    public static VerificationException Unsigned(UpdateStage stage, string what, Exception inner) =>
        new(ErrorCode.Signature, stage, $"The feed serves the {what} without signatures.", inner);

    /// <summary>A local document (a draft, a root to publish) with no signature file beside it.</summary>
    public static VerificationException SignatureFileMissing(UpdateStage stage, string what, string signaturePath) =>
        new(ErrorCode.Signature, stage, $"The {what} is not signed: there is no '{Printable.Of(signaturePath)}'.") { Path = signaturePath };

    /// <summary>The hash-allowlist did not waive a signature failure; says why.</summary>
    public static VerificationException NotWaived(VerificationException failure, string why) =>
        new(failure.Code, failure.Stage, $"{failure.Message} Hash-allowlist: {why}.", failure) { Version = failure.Version };

    /// <summary>A verified document that is not valid for its schema.</summary>
    public static VerificationException Malformed(UpdateStage stage, string what, string detail, Exception? inner = null) =>
        new(ErrorCode.Malformed, stage, $"The signed {what} is not valid: {detail}.", inner);

    /// <summary>A manifest listing more files than allowed.</summary>
    public static VerificationException TooManyFiles(int files, int limit) =>
        new(ErrorCode.TooLarge, UpdateStage.Manifest, $"The manifest lists {files} files; the limit is {limit}.");

    /// <summary>A manifest whose total size is over the limit.</summary>
    public static VerificationException ReleaseTooLarge(long limit) =>
        new(ErrorCode.TooLarge, UpdateStage.Manifest, $"The release is larger than the limit of {limit} bytes.");

    /// <summary>A manifest naming a path that could escape or collide.</summary>
    public static VerificationException UnsafePath(string path, string reason) =>
        new(ErrorCode.UnsafePath, UpdateStage.Manifest, $"The manifest names an unsafe path '{Printable.Of(path)}': {reason}.") { Path = path };

    /// <summary>A document for another app.</summary>
    public static VerificationException WrongApp(UpdateStage stage, string what, string found, string expected) =>
        new(ErrorCode.WrongApp, stage, $"The {what} is for app '{Printable.Of(found)}', not '{expected}'.");

    /// <summary>A document for another channel.</summary>
    public static VerificationException WrongChannel(UpdateStage stage, string what, string found, string expected) =>
        new(ErrorCode.WrongChannel, stage, $"The {what} is for channel '{Printable.Of(found)}', not '{expected}'.");

    /// <summary>A document past its expiry (threat: freeze).</summary>
    public static VerificationException Expired(UpdateStage stage, string what, DateTimeOffset expires, string? version = null) =>
        new(ErrorCode.Expired, stage, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The {what} expired at {expires:u}.")) { Version = version };

    /// <summary>A version below the target's floor (threat: rollback).</summary>
    public static VerificationException Downgrade(UpdateStage stage, string offered, string floor, bool staged = false) =>
        new(ErrorCode.Downgrade, stage, staged
            ? $"The staged version {offered} is below {floor}, the lowest version this target may install."
            : $"The feed offers {offered}, below {floor}, the lowest version this target may install.") { Version = offered };

    /// <summary>A manifest that is not the one its channel pointer binds, or not for the version it should be.</summary>
    public static VerificationException ManifestMismatch(UpdateStage stage, string version, string detail) =>
        new(ErrorCode.ManifestMismatch, stage, detail) { Version = version };

    /// <summary>A manifest too large for its cap, by the size its pointer signs.</summary>
    public static VerificationException ManifestTooLarge(string version, long size, long limit) =>
        new(ErrorCode.TooLarge, UpdateStage.Manifest, $"The manifest of {version} is {size} bytes; the limit is {limit}.") { Version = version };

    /// <summary>A release that a single-file target cannot take.</summary>
    public static VerificationException NotASingleFileRelease(string version, int files) =>
        new(ErrorCode.Malformed, UpdateStage.Manifest, $"Release {version} lists {files} files; a single-file target takes a release of exactly one file.") { Version = version };
}
