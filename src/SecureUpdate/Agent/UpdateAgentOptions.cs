using System.ComponentModel.DataAnnotations;

namespace SecureUpdate.Agent;

/// <summary>
/// Settings of <see cref="UpdateAgentService"/>, the background service of a long-running agent
/// that keeps itself up to date. Validated when the host starts.
/// </summary>
[System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage(
    "Trimming",
    "IL2026",
    Justification = "The TimeSpan ranges are read only by the source-generated validator, which emits its own trim-safe copy of RangeAttribute; nothing reflects over them.")]
public sealed class UpdateAgentOptions
{
    /// <summary>The feed: an <c>http(s)://</c> URL or a folder. Give this or <see cref="Feeds"/>, not both.</summary>
    public string Feed { get; set; } = "";

    /// <summary>
    /// Several feeds serving the same signed files (mirrors), in order of preference; see
    /// <see cref="ApplyRequest.Feeds"/>. Give this or <see cref="Feed"/>, not both.
    /// </summary>
    public IList<string> Feeds { get; } = [];

    /// <summary>The trust file (a <c>.pub</c> or a trust file with a threshold).</summary>
    [Required]
    public string TrustFile { get; set; } = "";

    /// <summary>The target folder this agent runs from (<c>TARGET/current/...</c>).</summary>
    [Required]
    public string Target { get; set; } = "";

    /// <summary>App id; defaults to the target's.</summary>
    public string? App { get; set; }

    /// <summary>Channel; defaults to the target's, or <c>stable</c>.</summary>
    public string? Channel { get; set; }

    /// <summary>The version of the running code; defaults to the entry assembly's informational version (without a <c>+commit</c> suffix).</summary>
    public string? RunningVersion { get; set; }

    /// <summary>This host's stable id for staged rollout; defaults to <c>/etc/machine-id</c>, else the machine name.</summary>
    public string? HostId { get; set; }

    /// <summary>Time between checks. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "30.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Upper bound of the random delay added before every check, the first included, so that a
    /// fleet started at once spreads its requests over this window. Default 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Jitter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The <c>secure-update</c> executable that runs the swap (the companion process).</summary>
    [Required]
    public string CompanionPath { get; set; } = "secure-update";

    /// <summary>The shell command that starts the agent again, run by the companion in the new (or, after a revert, the previous) version's folder.</summary>
    [Required]
    public string RestartCommand { get; set; } = "";

    /// <summary>A file the companion appends its output to; null discards it.</summary>
    public string? CompanionLogFile { get; set; }

    /// <summary>How long a new version has to confirm itself healthy before the companion reverts it. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConfirmWithin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a new version runs before it decides whether it is healthy. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ConfirmAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Decides, <see cref="ConfirmAfter"/> after start, whether a new version is healthy. Default: always healthy once it got that far.</summary>
    public Func<CancellationToken, Task<bool>>? HealthCheck { get; set; }
}
