using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>What <see cref="UpdateClient.CheckForUpdateAsync"/> asks a feed.</summary>
public sealed class UpdateCheckRequest
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

    /// <summary>The pinned keys and threshold.</summary>
    public required TrustRoot Trust { get; init; }

    /// <summary>The target (its current version, floor and rejected versions are taken into account).</summary>
    public required Target Target { get; init; }

    /// <summary>App id; defaults to the target's.</summary>
    public string? App { get; init; }

    /// <summary>Channel; defaults to the target's, or <c>stable</c>.</summary>
    public string? Channel { get; init; }

    /// <summary>This host's stable id for staged rollout; null ignores rollout.</summary>
    public string? HostId { get; init; }

    /// <summary>The <see cref="UpdateCheck.ETag"/> of the previous check: when the channel pointer is unchanged, the feed answers with an empty 304.</summary>
    public string? ETag { get; init; }
}
