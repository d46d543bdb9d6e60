using SecureUpdate.Errors;

namespace SecureUpdate.Trust;

/// <summary>
/// What one operation verifies release documents with: the trust root (the newest the target has
/// walked to), what they are verified for, and the hash-allowlist waiver when that fallback is
/// configured. Built once per operation, so none of it is passed call by call.
/// </summary>
internal sealed class TrustContext
{
    public TrustContext(TrustRoot root, ISignatureWaiver? waiver, TrustPurpose purpose)
    {
        Root = root;
        Waiver = waiver;
        Purpose = purpose;
    }

    /// <summary>The trust root whose release role signs.</summary>
    public TrustRoot Root { get; }

    /// <summary>The hash-allowlist waiver, or null in the other fallback modes.</summary>
    public ISignatureWaiver? Waiver { get; }

    /// <summary>New release or installed version: whether verify-only keys count.</summary>
    public TrustPurpose Purpose { get; }

    /// <summary>Verifies a release document's signatures strictly (no waiver); returns its SHA-256.</summary>
    public byte[] Verify(DocumentType type, ReadOnlySpan<byte> document, ReadOnlySpan<byte> signatureFile, UpdateStage stage, string what) =>
        DocumentVerifier.Verify(Root.ReleaseRole, Purpose == TrustPurpose.Installed, type, document, signatureFile, stage, what);

    /// <summary>Whether the configured fallback may waive <paramref name="failure"/>: only signature failures, only in hash-allowlist mode.</summary>
    public bool CanWaive(VerificationException failure) => Waiver is not null && failure.Code == ErrorCode.Signature;

    /// <summary>
    /// Accepts <paramref name="failure"/> when the manifest with digest <paramref name="manifestSha256"/>
    /// is listed (and records it), or throws why not. Call only when <see cref="CanWaive"/> is true.
    /// </summary>
    /// <exception cref="VerificationException">Not listed, or its entry expired.</exception>
    public void Waive(ReadOnlySpan<byte> manifestSha256, VerificationException failure, string version, string what)
    {
        if (Waiver is null)
        {
            throw failure;
        }

        Waiver.Waive(manifestSha256, failure, version, what);
    }
}
