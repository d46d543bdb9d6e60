using System.ComponentModel.DataAnnotations;
using SecureUpdate.Documents;

namespace SecureUpdate.Configuration;

/// <summary>
/// Bounded settings for fetching and installing releases. <c>AddSecureUpdate</c> validates them
/// when the host starts (or when first used) with a source-generated validator.
/// </summary>
[System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage(
    "Trimming",
    "IL2026",
    Justification = "The TimeSpan ranges are read only by the source-generated validator, which emits its own trim-safe copy of RangeAttribute; nothing reflects over them.")]
public sealed class SecureUpdateOptions
{
    /// <summary>Name of the <see cref="System.Net.Http.HttpClient"/> registered for feeds.</summary>
    public const string HttpClientName = "SecureUpdate.Feed";

    /// <summary>Retries after a transient failure (connection error, 5xx, 408, 429, a body cut short). Default 4.</summary>
    [Range(0, 20)]
    public int RetryCount { get; set; } = 4;

    /// <summary>First retry delay; later ones double, with random jitter. Default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait for one response's headers. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan PerTryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the next bytes of a body before the try counts as failed (threat: slow retrieval). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Overall deadline of one apply, at most 49 days (the longest a timer can be armed). Default 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", DurationLimits.MaxTimerText)]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Files downloaded (or taken from an installed version) at once. Default 8: on two cores, 2,000 small
    /// files staged about 8 % faster than with 4, and no faster with 16; still fewer connections per
    /// server than a browser opens to two hosts.
    /// </summary>
    [Range(1, 64)]
    public int MaxParallelDownloads { get; set; } = 8;

    /// <summary>
    /// Whether a file unchanged since an installed version may be hard-linked from it when the file system
    /// cannot clone it (reflink, as on XFS and Btrfs). Default true: an update then writes only what changed.
    /// Either way the installed copy is hashed against the signed digest first, and only a copy that is
    /// owned by this user, not writable by group or others and already of the release's mode is shared.
    /// A linked file is one inode in both versions, so a write into it in place changes both (the
    /// versions are meant to be read-only); false copies such files instead, keeping each version's
    /// files apart at the cost of writing them again.
    /// </summary>
    public bool HardLinkUnchangedFiles { get; set; } = true;

    /// <summary>Whether plain <c>http://</c> feeds on hosts other than loopback are allowed. Default false.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// What happens when verification fails (docs/architecture.md, "Fallback"). Default
    /// <see cref="FallbackMode.HardReset"/>. <see cref="FallbackMode.HashAllowlist"/> needs
    /// <see cref="AllowlistPath"/>; <see cref="FallbackMode.DebugShell"/> acts as hard-reset unless
    /// <c>UpdateClient.CheckDebugShell</c>.
    /// </summary>
    [EnumDataType(typeof(FallbackMode))]
    public FallbackMode Fallback { get; set; } = FallbackMode.HardReset;

    /// <summary>
    /// The hash allowlist (<c>secure-update/allowlist/v1</c>) read in <see cref="FallbackMode.HashAllowlist"/> mode.
    /// It must be owned by the current user or root and not writable by group or others.
    /// </summary>
    public string? AllowlistPath { get; set; }

    /// <summary>Size and count caps for documents.</summary>
    public ManifestLimits Limits { get; set; } = ManifestLimits.Default;
}
