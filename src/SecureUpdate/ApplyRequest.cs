using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>What to install where.</summary>
public sealed class ApplyRequest
{
    /// <summary>An <c>http(s)://</c> feed URL or a local feed folder.</summary>
    public required string Feed { get; init; }

    /// <summary>The pinned keys and threshold.</summary>
    public required TrustRoot Trust { get; init; }

    /// <summary>The target folder (created on first install), or with <see cref="SingleFile"/> the one file to update in place.</summary>
    public required string Target { get; init; }

    /// <summary>
    /// Single-file mode: <see cref="Target"/> is one executable replaced atomically by a release
    /// of exactly one file, its previous version kept for rollback (the <c>tool self-update</c> case).
    /// </summary>
    public bool SingleFile { get; init; }

    /// <summary>App id; required on first install, then remembered by the target.</summary>
    public string? App { get; init; }

    /// <summary>Channel; defaults to the target's, or <c>stable</c>.</summary>
    public string? Channel { get; init; }

    /// <summary>Download and verify into <c>versions/</c> only; a later swap switches.</summary>
    public bool StageOnly { get; init; }

    /// <summary>A shell command run after the switch in the new version's folder; non-zero or a timeout switches back.</summary>
    public string? HealthCheck { get; init; }

    /// <summary>Longest the health check may run. Default 30 s.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives staging progress (files and bytes done, and totals): once at the start and after each file, in order.</summary>
    public IProgress<UpdateProgress>? Progress { get; init; }

    /// <summary>
    /// This host's stable id for staged rollout. When set, a version whose channel pointer rolls it
    /// out to a percentage that does not include this host is not installed
    /// (<see cref="ApplyOutcome.NotInRollout"/>). Null (operators applying by hand): rollout is ignored.
    /// </summary>
    public string? HostId { get; init; }
}
