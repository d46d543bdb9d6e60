using SecureUpdate.Manifests;

namespace SecureUpdate;

/// <summary>Bounded settings for fetching and installing releases.</summary>
public sealed class SecureUpdateOptions
{
    /// <summary>Name of the <see cref="System.Net.Http.HttpClient"/> registered for feeds.</summary>
    public const string HttpClientName = "SecureUpdate.Feed";

    /// <summary>Retries after a transient failure (connection error, 5xx, 408, 429, a body cut short). Default 4.</summary>
    public int RetryCount { get; set; } = 4;

    /// <summary>First retry delay; later ones double, with random jitter. Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait for one response's headers. Default 30 s.</summary>
    public TimeSpan PerTryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the next bytes of a body before the try counts as failed (threat: slow retrieval). Default 30 s.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Overall deadline of one apply. Default 30 minutes.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Files downloaded at once. Default 4.</summary>
    public int MaxParallelDownloads { get; set; } = 4;

    /// <summary>Whether plain <c>http://</c> feeds on hosts other than loopback are allowed. Default false.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// What happens when verification fails (DESIGN.md, "Fallback modes"). Default
    /// <see cref="FallbackMode.HardReset"/>. <see cref="FallbackMode.HashAllowlist"/> needs
    /// <see cref="AllowlistPath"/>; <see cref="FallbackMode.DebugShell"/> acts as hard-reset unless
    /// <see cref="UpdateClient.IsDebugShellPermitted"/>.
    /// </summary>
    public FallbackMode Fallback { get; set; } = FallbackMode.HardReset;

    /// <summary>
    /// The hash allowlist (<c>secure-update/allowlist/v1</c>) read in <see cref="FallbackMode.HashAllowlist"/> mode.
    /// It must be owned by the current user or root and not writable by group or others.
    /// </summary>
    public string? AllowlistPath { get; set; }

    /// <summary>Size and count caps for documents.</summary>
    public ManifestLimits Limits { get; set; } = ManifestLimits.Default;
}
