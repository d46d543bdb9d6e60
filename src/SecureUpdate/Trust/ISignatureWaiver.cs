using SecureUpdate.Errors;

namespace SecureUpdate.Trust;

/// <summary>
/// The hash-allowlist fallback as verification sees it: it may accept a document whose signatures
/// failed, but only when the manifest that document is (or, for a channel pointer, binds) is listed
/// by its SHA-256. Implemented by the fallback layer and chosen once, when the client is built.
/// </summary>
internal interface ISignatureWaiver
{
    /// <summary>Returns when <paramref name="failure"/> is waived (and records that it was); otherwise throws, saying why not.</summary>
    /// <param name="manifestSha256">The digest of the manifest concerned.</param>
    /// <param name="failure">The signature failure (<see cref="ErrorCode.Signature"/>).</param>
    /// <param name="version">The version the document is for.</param>
    /// <param name="what">The document, as a phrase: "channel pointer", "manifest", "installed manifest of 1.2.0".</param>
    /// <exception cref="VerificationException">Not listed, or its entry expired.</exception>
    void Waive(ReadOnlySpan<byte> manifestSha256, VerificationException failure, string version, string what);
}
