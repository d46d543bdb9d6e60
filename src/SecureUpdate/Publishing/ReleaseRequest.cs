namespace SecureUpdate.Publishing;

/// <summary>A folder to sign into a feed as one release.</summary>
public sealed class ReleaseRequest
{
    /// <summary>The feed folder (created if missing).</summary>
    public required string Feed { get; init; }

    /// <summary>App id.</summary>
    public required string App { get; init; }

    /// <summary>Channel; default <c>stable</c>.</summary>
    public string Channel { get; init; } = "stable";

    /// <summary>SemVer 2.0 version; must be newer than every release already in the channel.</summary>
    public required string Version { get; init; }

    /// <summary>The folder whose regular files make up the release.</summary>
    public required string Input { get; init; }

    /// <summary>Key files to sign with (one signature each): plain, encrypted, or references to keys in an HSM. May be empty for a <see cref="Draft"/>.</summary>
    public required IReadOnlyList<string> KeyFiles { get; init; }

    /// <summary>How long the manifest and the channel pointer stay valid. Default 30 days.</summary>
    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Staged rollout: the percentage of hosts (0–100) that take this version; null for all.</summary>
    public int? RolloutPercent { get; init; }

    /// <summary>
    /// A k-of-n release signed on separate machines: the payloads go into the feed (stored by digest,
    /// invisible until a manifest names them), but the manifest and the channel pointer are written to
    /// this folder instead, signed by <see cref="KeyFiles"/> if any. Each signer then adds a signature
    /// (<see cref="Cosigner"/>), and <see cref="ReleasePublisher.PublishDraftAsync"/> moves them into the feed
    /// once the release threshold is met. Null: publish at once.
    /// </summary>
    public string? Draft { get; init; }
}
