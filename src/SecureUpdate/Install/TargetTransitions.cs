using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using SecureUpdate.Configuration;
using SecureUpdate.Diagnostics;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>
/// The journaled changes every operation shares, written once for both kinds of target: commit a
/// switch, roll back to the newest installed version that verifies, revert an unconfirmed version.
/// Each is journal → switch → state → journal cleared → event, so a crash at any instant leaves the
/// target exactly before or after, and the next command finishes or undoes it. The caller holds the lock.
/// </summary>
internal sealed class TargetTransitions
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly Journal _journal;
    private readonly IAuditTrail _audit;
    private readonly SecureUpdateOptions _options;
    private readonly ILogger _logger;

    public TargetTransitions(IFileSystem fileSystem, DiskOperations disk, Journal journal, IAuditTrail audit, SecureUpdateOptions options, ILogger logger)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _journal = journal;
        _audit = audit;
        _options = options;
        _logger = logger;
    }

    /// <summary>Durably records that <paramref name="change"/> to <paramref name="version"/> has begun.</summary>
    public void Begin(IInstallTarget target, TargetChange change, string version, string? previous, bool createdVersion = false, bool awaitingHealth = false) =>
        _journal.Begin(target.Layout, new JournalDocument
        {
            Schema = JournalDocument.SchemaName,
            Operation = target.JournalName(change),
            Version = version,
            Previous = previous,
            CreatedVersion = createdVersion,
            AwaitingHealth = awaitingHealth,
        });

    /// <summary>Durably marks the journaled change as finished.</summary>
    public void Complete(IInstallTarget target) => _journal.Complete(target.Layout);

    /// <summary>Makes the switch to <paramref name="version"/> final: raises the floor, prunes old versions, closes the journal.</summary>
    public void Commit(IInstallTarget target, TargetState state, SemanticVersion version, string? previous)
    {
        var name = version.ToString();
        target.WithCurrent(state.WithFloorAtLeast(version) with { Pending = null }, name).Write(_disk, target.Layout);
        FaultInjection.Point("state-written");
        target.Prune(name, previous);
        _journal.Complete(target.Layout);
        _audit.Record(target.Layout, new AuditRecord("installed", UpdateStage.Install, name, $"switched from {previous ?? "nothing"} to {name}"));
    }

    /// <summary>
    /// Switches (journaled) to the newest installed version below <paramref name="current"/> that
    /// verifies, rejects <paramref name="current"/>, and records <paramref name="eventName"/>; null when none verifies.
    /// </summary>
    public async Task<string?> RollBackToNewestVerifiedAsync(IInstallTarget target, TargetState state, string current, TrustContext trust, string eventName, FallbackMode? fallback, CancellationToken cancellationToken)
    {
        var currentVersion = SemanticVersion.Parse(current);
        foreach (var candidate in target.ListVersions(state).Where(v => v < currentVersion))
        {
            var name = candidate.ToString();
            try
            {
                var manifest = InstalledManifest.Load(_fileSystem, target.Layout, name, trust, _options.Limits);
                await target.VerifyVersionAsync(name, manifest, state, cancellationToken).ConfigureAwait(false);
            }
            catch (VerificationException ex)
            {
                UpdateLog.VerifyFailed(_logger, ex.Code, ex.Message);
                continue;
            }

            Begin(target, TargetChange.Rollback, name, current);
            target.Switch(name);
            target.WithCurrent(state.Reject(current) with { Pending = null }, name).Write(_disk, target.Layout);
            _journal.Complete(target.Layout);
            _audit.Record(target.Layout, new AuditRecord(eventName, UpdateStage.Install, name, $"rolled back from {current} to {name}") { Fallback = fallback });
            return name;
        }

        return null;
    }

    /// <summary>Switches back from a version that did not confirm itself healthy, and rejects it.</summary>
    public void RevertUnconfirmed(IInstallTarget target, TargetState state, PendingConfirmation pending, string why)
    {
        // "revert" names the version being left, so recovery can tell from `current` alone whether the switch back happened.
        Begin(target, TargetChange.Revert, pending.Version, pending.Previous);
        target.Switch(pending.Previous);
        (state.Reject(pending.Version) with { Pending = null }).Write(_disk, target.Layout);
        _journal.Complete(target.Layout);
        _audit.Record(target.Layout, new AuditRecord("reverted", UpdateStage.Install, pending.Version, $"reverted {pending.Version} to {pending.Previous ?? "nothing"}: {why}") { Code = ErrorCode.HealthCheckFailed });
    }
}
