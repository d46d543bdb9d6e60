using System.Diagnostics.CodeAnalysis;
using SecureUpdate.Fallback;
using SecureUpdate.Install;

namespace SecureUpdate;

/// <content>The configured fallback mode (<see cref="SecureUpdateOptions.Fallback"/>).</content>
public sealed partial class UpdateClient
{
    /// <summary>Reads environment variables; tests replace it to decide debug-shell without touching the process.</summary>
    internal Func<string, string?> EnvironmentLookup { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Whether debug-shell may open for a target: <c>SECURE_UPDATE_DEBUG=1</c> and a file
    /// <c>.secure-update/debug-allowed</c> in the target's state folder that is owned by the current
    /// user or root and not writable by group or others.
    /// </summary>
    /// <param name="target">The target folder, or the file of a single-file target.</param>
    /// <param name="singleFile">Whether <paramref name="target"/> is a single-file target.</param>
    /// <param name="reason">Why not, when it may not.</param>
    public bool IsDebugShellPermitted(string target, bool singleFile, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(target);
        reason = DebugShellGate.WhyNotPermitted(singleFile ? TargetPaths.ForFile(target) : new TargetPaths(target), EnvironmentLookup);
        return reason is null;
    }

    /// <summary>
    /// Records a line entered at the debug-shell prompt, under the target's lock, before it runs:
    /// a command that cannot be recorded is not run.
    /// </summary>
    /// <exception cref="TargetLockedException">The target stayed busy.</exception>
    internal async Task RecordDebugShellCommandAsync(string target, bool singleFile, string entered, string? refusal, CancellationToken cancellationToken)
    {
        var paths = singleFile ? TargetPaths.ForFile(target) : new TargetPaths(target);
        var start = _timeProvider.GetTimestamp();
        TargetLock targetLock;
        while (true)
        {
            try
            {
                targetLock = TargetLock.Acquire(paths);
                break;
            }
            catch (TargetLockedException) when (_timeProvider.GetElapsedTime(start) < s_lockWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }

        using var held = targetLock;
        var current = singleFile ? TargetState.Read(_fileSystem, paths)?.Current : InstalledVersions.ReadCurrent(_fileSystem, paths);
        var detail = refusal is null ? $"entered '{entered}'" : $"entered '{entered}': refused, {refusal}";
        _audit.Record(paths, "debug-shell-command", UpdateStage.Maintenance, refusal is null ? null : ErrorCode.Usage, current, detail, FallbackMode.DebugShell);
    }

    /// <summary>The hash-allowlist waiver for one operation, or null in the other modes; reads and checks the allowlist.</summary>
    /// <exception cref="ConfigurationException">The allowlist is missing, not owner-only or not valid, or no path was configured.</exception>
    private SignatureWaiver? CreateWaiver(TargetPaths paths)
    {
        if (_options.Fallback != FallbackMode.HashAllowlist)
        {
            return null;
        }

        var path = _options.AllowlistPath
            ?? throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, "The hash-allowlist fallback needs an allowlist file (--allowlist FILE).");
        return new SignatureWaiver(Allowlist.Load(path), _timeProvider.GetUtcNow(), _audit, paths);
    }

    /// <summary>
    /// What a verification failure leads to: debug-shell when asked for and permitted, otherwise
    /// hard-reset; with a sentence for the event when debug-shell was asked for and refused.
    /// </summary>
    private (FallbackMode Action, string Note) FailureFallback(TargetPaths paths)
    {
        if (_options.Fallback != FallbackMode.DebugShell)
        {
            return (FallbackMode.HardReset, "");
        }

        var reason = DebugShellGate.WhyNotPermitted(paths, EnvironmentLookup);
        return reason is null
            ? (FallbackMode.DebugShell, " Debug-shell is permitted here: nothing was switched.")
            : (FallbackMode.HardReset, $" Debug-shell was asked for and is not permitted ({reason}); acting as hard-reset.");
    }
}
