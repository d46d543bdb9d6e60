using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Fallback;

/// <summary>
/// The configured fallback mode (<see cref="SecureUpdateOptions.Fallback"/>), chosen once when the
/// client is built: hash-allowlist waives listed signature failures; debug-shell leaves a failed
/// target as it is when the machine permits it; hard-reset (and debug-shell when not permitted)
/// goes back to the newest installed version that verifies.
/// </summary>
internal sealed class FallbackPolicy : IFallbackPolicy
{
    private readonly SecureUpdateOptions _options;
    private readonly DiskOperations _disk;
    private readonly TimeProvider _timeProvider;
    private readonly IAuditTrail _audit;
    private readonly DebugShellGate _debugShell;

    public FallbackPolicy(SecureUpdateOptions options, DiskOperations disk, TimeProvider timeProvider, IAuditTrail audit, DebugShellGate debugShell)
    {
        _options = options;
        _disk = disk;
        _timeProvider = timeProvider;
        _audit = audit;
        _debugShell = debugShell;
    }

    /// <exception cref="ConfigurationException">The allowlist is missing, not owner-only or not valid, or no path was configured.</exception>
    public ISignatureWaiver? CreateWaiver(TargetLayout layout)
    {
        if (_options.Fallback != FallbackMode.HashAllowlist)
        {
            return null;
        }

        var path = _options.AllowlistPath ?? throw Error.AllowlistRequired();
        return new AllowlistWaiver(Allowlist.Load(_disk, path), _timeProvider.GetUtcNow(), _audit, layout);
    }

    public FailureAction OnVerificationFailure(TargetLayout layout)
    {
        if (_options.Fallback != FallbackMode.DebugShell)
        {
            return FailureAction.HardReset;
        }

        var reason = _debugShell.WhyNotPermitted(layout);
        return reason is null
            ? new FailureAction(FallbackMode.DebugShell, " Debug-shell is permitted here: nothing was switched.")
            : new FailureAction(FallbackMode.HardReset, $" Debug-shell was asked for and is not permitted ({reason}); acting as hard-reset.");
    }
}
