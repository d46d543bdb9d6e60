using SecureUpdate.Events;
using SecureUpdate.Install;

namespace SecureUpdate;

/// <content>Reading a target's status and audit events.</content>
public sealed partial class UpdateClient
{
    /// <summary>
    /// Reads a target's audit events, oldest first, and checks their hash chain and head.
    /// <paramref name="broken"/> says where the log was edited, reordered or cut, or is null when intact.
    /// </summary>
    public IReadOnlyList<AuditEvent> ReadEvents(string target, bool singleFile, out string? broken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var paths = singleFile ? TargetPaths.ForFile(target) : new TargetPaths(target);
        if (!_fileSystem.Directory.Exists(paths.State))
        {
            throw new NotInstalledException(ErrorCode.NotInstalled, UpdateStage.Verify, $"'{target}' has no SecureUpdate state.");
        }

        broken = EventLog.Verify(paths);
        return EventLog.Read(paths)
            .Where(e => e.Event is not null)
            .Select(e => new AuditEvent(e.Event!.Time, e.Event.Event, e.Event.Stage, e.Event.ErrorCode, e.Event.FallbackMode, e.Event.Version, e.Event.Detail))
            .ToList();
    }

    /// <summary>Reads what <paramref name="target"/> holds, without verifying it.</summary>
    public TargetStatus GetStatus(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var paths = new TargetPaths(target);
        if (!_fileSystem.Directory.Exists(paths.Root))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target '{paths.Root}' does not exist.");
        }

        TargetLock? targetLock = null;
        try
        {
            // Status settles an interrupted operation first when it can; while another command
            // holds the lock it reports what is on disk now.
            targetLock = _fileSystem.Directory.Exists(paths.State) ? OpenTarget(paths, out _) : null;
        }
        catch (TargetLockedException)
        {
        }

        using var held = targetLock;
        var state = TargetState.Read(_fileSystem, paths);
        var current = InstalledVersions.ReadCurrent(_fileSystem, paths);
        var installed = InstalledVersions.List(_fileSystem, paths).Select(v => v.ToString()).ToList();
        return new TargetStatus(paths.Root, state?.App, state?.Channel, current, state?.Floor?.ToString(), installed, state?.Rejected, state?.Pending?.Version, state?.Pending?.Deadline);
    }
}
