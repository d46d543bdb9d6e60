namespace SecureUpdate.Errors;

/// <content>Embedded signatures: the signature trailer appended to a file (docs/formats.md, "Embedded signature trailer").</content>
internal static partial class Error
{
    /// <summary>A file that does not end with a signature trailer: never signed, or bytes cut from or added to its end.</summary>
    public static VerificationException NoSignatureTrailer(string path) =>
        new(ErrorCode.Signature, UpdateStage.Verify, $"'{Printable.Of(path)}' carries no signature trailer: it was never signed, or bytes were cut from or added to its end.") { Path = path };

    /// <summary>A trailer whose footer or signature block does not hold together (cut, forged or damaged).</summary>
    public static VerificationException SignatureTrailerDamaged(string path, string detail, Exception? inner = null) =>
        new(ErrorCode.Malformed, UpdateStage.Verify, $"The signature trailer of '{Printable.Of(path)}' is cut or damaged: {detail}.", inner) { Path = path };

    /// <summary>A trailer whose signatures are over other bytes than the file's payload (the file changed, or the trailer came from another file).</summary>
    public static VerificationException SignedPayloadAltered(string path) =>
        new(ErrorCode.HashMismatch, UpdateStage.Verify, $"The signatures in '{Printable.Of(path)}' are for other bytes: the file was altered after it was signed, or its trailer comes from another file.") { Path = path };

    /// <summary>A trailer that no key of the trust root signed (its entries name other keys only).</summary>
    public static VerificationException SignedByUntrustedKeys(string path, IReadOnlyList<string> keyIds) =>
        new(ErrorCode.Signature, UpdateStage.Verify, keyIds.Count == 0
            ? $"'{Printable.Of(path)}' is signed only by keys the trust root does not hold."
            : $"'{Printable.Of(path)}' is signed only by keys the trust root does not hold: {string.Join(", ", keyIds)}.") { Path = path };

    /// <summary>Too few distinct trusted keys signed the file.</summary>
    public static VerificationException EmbeddedThresholdNotMet(string path, int counted, int threshold) =>
        new(ErrorCode.Signature, UpdateStage.Verify, $"'{Printable.Of(path)}' is not signed by enough trusted keys: {counted} valid of the {threshold} required.") { Path = path };

    /// <summary>sign-binary on a file whose end looks like a trailer that does not hold together: refused rather than signed around.</summary>
    public static ConfigurationException DamagedTrailerNotSigned(string path, string detail) =>
        new(ErrorCode.Config, UpdateStage.Release, $"'{Printable.Of(path)}' ends with a damaged signature trailer ({detail}); refusing to sign it: restore the unsigned file first.") { Path = path };

    /// <summary>The same key given twice to sign one file.</summary>
    public static ConfigurationException KeyGivenTwice(string keyId) =>
        new(ErrorCode.Config, UpdateStage.Release, $"Key {keyId} is given twice; each key signs once.");

    /// <summary>More signatures than a trailer's signature block holds.</summary>
    public static ConfigurationException SignatureBlockTooLarge(int bytes, int cap) =>
        new(ErrorCode.Config, UpdateStage.Release, $"The signatures take {bytes} bytes, more than the {cap} a signature trailer holds; sign with fewer keys.");
}
