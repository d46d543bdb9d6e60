using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>What to install where.</summary>
public sealed class ApplyRequest
{
    /// <summary>An <c>http(s)://</c> feed URL or a local feed folder: the one feed. Give this or <see cref="Feeds"/>, not both.</summary>
    public string? Feed { get; init; }

    /// <summary>
    /// Several feeds serving the same signed files (mirrors), in order of preference: each document and
    /// blob comes from the first that delivers it, the next on a transport failure or "not found"; a
    /// mirror that failed is tried last for the rest of the run. Authenticity never depends on which
    /// mirror answered. Give this or <see cref="Feed"/>, not both.
    /// </summary>
    public IReadOnlyList<string>? Feeds { get; init; }

    /// <summary>
    /// The trust root: for a first install the root the target starts from (a <c>.pub</c> file, a
    /// trust file, or a trust root document); on an installed target it must be the root the target
    /// pinned or an earlier root of its chain (<see cref="ReplaceTrust"/> to re-provision). The feed's
    /// newer roots are walked and pinned on every apply.
    /// </summary>
    public required TrustRoot Trust { get; init; }

    /// <summary>
    /// Re-provisioning on purpose: pin <see cref="Trust"/> as the target's root even when it is not
    /// the pinned root or an earlier root of its chain. Recorded as a <c>trust-replaced</c> event.
    /// </summary>
    public bool ReplaceTrust { get; init; }

    /// <summary>Where to install: <see cref="SecureUpdate.Target.Folder"/> (created on first install) or <see cref="SecureUpdate.Target.File"/> (one executable updated in place).</summary>
    public required Target Target { get; init; }

    /// <summary>App id; required on first install, then remembered by the target.</summary>
    public string? App { get; init; }

    /// <summary>Channel; defaults to the target's, or <c>stable</c>.</summary>
    public string? Channel { get; init; }

    /// <summary>Download and verify into <c>versions/</c> only; a later swap switches. Folder targets only.</summary>
    public bool StageOnly { get; init; }

    /// <summary>A shell command run after the switch in the new version's folder; non-zero or a timeout switches back. Folder targets only.</summary>
    public string? HealthCheck { get; init; }

    /// <summary>Longest the health check may run. Default 30 s.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Receives staging progress, counted in bytes written (see <see cref="UpdateProgress"/>): once
    /// at the start, at most every 100 ms while bytes are written, and once when every file is
    /// staged; one report at a time, in order, on the staging threads (a <see cref="Progress{T}"/>
    /// posts each report to its context, which may deliver them out of order).
    /// </summary>
    public IProgress<UpdateProgress>? Progress { get; init; }

    /// <summary>
    /// This host's stable id for staged rollout. When set, a version whose channel pointer rolls it
    /// out to a percentage that does not include this host is not installed
    /// (<see cref="ApplyOutcome.NotInRollout"/>). Null (operators applying by hand): rollout is ignored.
    /// </summary>
    public string? HostId { get; init; }
}
