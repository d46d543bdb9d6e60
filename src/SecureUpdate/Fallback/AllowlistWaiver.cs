using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Trust;

namespace SecureUpdate.Fallback;

/// <summary>
/// The hash-allowlist fallback at the one point where it acts: a document whose signatures fail
/// is accepted when the manifest it is (or, for a channel pointer, binds) is listed and not
/// expired. Only signature failures are waived; every digest, size, version, app and channel check
/// still runs. Each waiver is an audit event. One waiver serves one operation on one target.
/// </summary>
internal sealed class AllowlistWaiver : ISignatureWaiver
{
    private readonly Allowlist _allowlist;
    private readonly DateTimeOffset _now;
    private readonly IAuditTrail _audit;
    private readonly TargetLayout _layout;

    public AllowlistWaiver(Allowlist allowlist, DateTimeOffset now, IAuditTrail audit, TargetLayout layout)
    {
        _allowlist = allowlist;
        _now = now;
        _audit = audit;
        _layout = layout;
    }

    public void Waive(ReadOnlySpan<byte> manifestSha256, VerificationException failure, string version, string what)
    {
        var entry = _allowlist.Find(manifestSha256, _now, out var why)
            ?? throw Error.NotWaived(failure, why);
        var note = entry.Note is null ? "" : $" ({entry.Note})";
        _audit.Record(
            _layout,
            new AuditRecord(
                "allowlisted",
                failure.Stage,
                version,
                $"The {what} was accepted although its signatures fail: manifest sha256 {entry.ManifestSha256} is listed in '{_allowlist.Path}' until {Allowlist.Format(entry.Expires)}{note}. {failure.Message}")
            {
                Code = ErrorCode.Signature,
                Fallback = FallbackMode.HashAllowlist,
            });
    }
}
