using System.Security.Cryptography;
using SecureUpdate.Events;
using SecureUpdate.Install;
using SecureUpdate.Trust;

namespace SecureUpdate.Fallback;

/// <summary>
/// The hash-allowlist fallback at the one point where it acts: a document whose signatures fail
/// is accepted when the manifest it is (or, for a channel pointer, binds) is listed and not
/// expired. Only signature failures are waived; every digest, size, version, app and channel check
/// still runs. Each waiver is an audit event.
/// </summary>
internal sealed class SignatureWaiver
{
    private readonly Allowlist _allowlist;
    private readonly DateTimeOffset _now;
    private readonly AuditTrail _audit;
    private readonly TargetPaths _paths;

    public SignatureWaiver(Allowlist allowlist, DateTimeOffset now, AuditTrail audit, TargetPaths paths)
    {
        _allowlist = allowlist;
        _now = now;
        _audit = audit;
        _paths = paths;
    }

    /// <summary>Verifies a manifest's signatures, or waives their failure when the manifest's exact bytes are listed.</summary>
    /// <exception cref="VerificationException">The signatures fail and the manifest is not listed (or its entry expired).</exception>
    public static void VerifyManifest(SignatureWaiver? waiver, TrustRoot trust, byte[] manifest, Func<byte[]> readSignatures, UpdateStage stage, string what, string version)
    {
        try
        {
            DocumentVerifier.Verify(trust, DocumentType.Manifest, manifest, readSignatures(), stage, what);
        }
        catch (VerificationException ex) when (waiver is not null && ex.Code == ErrorCode.Signature)
        {
            waiver.Waive(SHA256.HashData(manifest), ex, stage, version, what);
        }
    }

    /// <summary>Accepts <paramref name="failure"/> when <paramref name="manifestSha256"/> is listed and records it; otherwise throws it, saying why.</summary>
    public void Waive(byte[] manifestSha256, VerificationException failure, UpdateStage stage, string version, string what)
    {
        var entry = _allowlist.Find(manifestSha256, _now, out var why)
            ?? throw new VerificationException(failure.Code, failure.Stage, $"{failure.Message} Hash-allowlist: {why}.", failure);
        var note = entry.Note is null ? "" : $" ({entry.Note})";
        _audit.Record(
            _paths,
            "allowlisted",
            stage,
            ErrorCode.Signature,
            version,
            $"The {what} was accepted although its signatures fail: manifest sha256 {entry.ManifestSha256} is listed in '{_allowlist.Path}' until {Allowlist.Format(entry.Expires)}{note}. {failure.Message}",
            FallbackMode.HashAllowlist);
    }
}
