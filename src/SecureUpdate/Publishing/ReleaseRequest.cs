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

    /// <summary>Private key files to sign with (one signature each).</summary>
    public required IReadOnlyList<string> KeyFiles { get; init; }

    /// <summary>How long the manifest and the channel pointer stay valid. Default 30 days.</summary>
    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Staged rollout: the percentage of hosts (0–100) that take this version; null for all.</summary>
    public int? RolloutPercent { get; init; }
}
