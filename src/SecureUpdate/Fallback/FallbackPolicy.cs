using Microsoft.Extensions.Logging;
using SecureUpdate.Configuration;
using SecureUpdate.Diagnostics;
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
    private readonly TargetTransitions _transitions;
    private readonly ILogger _logger;

    public FallbackPolicy(SecureUpdateOptions options, DiskOperations disk, TimeProvider timeProvider, IAuditTrail audit, DebugShellGate debugShell, TargetTransitions transitions, ILogger logger)
    {
        _options = options;
        _disk = disk;
        _timeProvider = timeProvider;
        _audit = audit;
        _debugShell = debugShell;
        _transitions = transitions;
        _logger = logger;
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

    /// <summary>
    /// What the fallback makes of a current version that does not verify: debug-shell (when
    /// permitted) leaves it as it is; hard-reset switches back to the newest installed version that
    /// verifies, or, when none does, records that the target needs a reinstall. Returns the exception
    /// to throw, which says what was done.
    /// </summary>
    public async Task<SecureUpdateException> HandleVerificationFailureAsync(IInstallTarget target, TargetState? state, string current, TrustContext trust, VerificationException failure, CancellationToken cancellationToken)
    {
        UpdateLog.VerifyFailed(_logger, failure.Code, failure.Message);
        var action = OnVerificationFailure(target.Layout);
        _audit.Record(target.Layout, new AuditRecord("verify-failed", UpdateStage.Verify, current, failure.Message + action.Note) { Code = failure.Code, Fallback = action.Mode });
        if (action.Mode == FallbackMode.DebugShell)
        {
            return Error.LeftForDebugShell(failure, action.Note);
        }

        var reset = state is null ? null : await _transitions.RollBackToNewestVerifiedAsync(target, state, current, trust, "reset", FallbackMode.HardReset, cancellationToken).ConfigureAwait(false);
        if (reset is not null)
        {
            return Error.ResetTo(failure, reset);
        }

        _audit.Record(target.Layout, new AuditRecord("reinstall-needed", UpdateStage.Verify, current, "no installed version verifies") { Code = ErrorCode.NotInstalled, Fallback = FallbackMode.HardReset });
        return Error.ReinstallNeeded(failure, target.Location);
    }
}
