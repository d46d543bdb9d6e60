namespace SecureUpdate;

/// <summary>What a target holds, read from its layout and state (no verification).</summary>
public sealed class TargetStatus
{
    internal TargetStatus(string target, string? app, string? channel, string? currentVersion, string? floor, IReadOnlyList<string> installedVersions, IReadOnlyList<string>? rejectedVersions = null, string? pendingVersion = null, DateTimeOffset? pendingDeadline = null)
    {
        RejectedVersions = rejectedVersions ?? [];
        PendingVersion = pendingVersion;
        PendingDeadline = pendingDeadline;
        Target = target;
        App = app;
        Channel = channel;
        CurrentVersion = currentVersion;
        Floor = floor;
        InstalledVersions = installedVersions;
    }

    /// <summary>The target folder.</summary>
    public string Target { get; }

    /// <summary>The app id, or null before the first install.</summary>
    public string? App { get; }

    /// <summary>The channel, or null before the first install.</summary>
    public string? Channel { get; }

    /// <summary>The version <c>current</c> points at, or null.</summary>
    public string? CurrentVersion { get; }

    /// <summary>The lowest version the target may install.</summary>
    public string? Floor { get; }

    /// <summary>Installed versions, highest first.</summary>
    public IReadOnlyList<string> InstalledVersions { get; }

    /// <summary>Versions rolled back, reverted or reset on this target: not installed again automatically.</summary>
    public IReadOnlyList<string> RejectedVersions { get; }

    /// <summary>The version that still has to confirm itself healthy, or null.</summary>
    public string? PendingVersion { get; }

    /// <summary>When <see cref="PendingVersion"/> is reverted unless it confirms itself, or null.</summary>
    public DateTimeOffset? PendingDeadline { get; }

    /// <summary>The version of the trust root the target verifies with (0 for a <c>.pub</c> or <c>trust/v1</c> file), or null when none is pinned.</summary>
    public int? TrustVersion { get; internal init; }
}
