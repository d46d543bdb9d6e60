namespace SecureUpdate.Publishing;

/// <summary>Re-signs a channel's pointer with a new staged-rollout percentage (same version, same manifest).</summary>
public sealed class RolloutRequest
{
    /// <summary>The feed folder.</summary>
    public required string Feed { get; init; }

    /// <summary>App id.</summary>
    public required string App { get; init; }

    /// <summary>Channel. Default <c>stable</c>.</summary>
    public string Channel { get; init; } = "stable";

    /// <summary>The percentage of hosts (0–100) that take the channel's version. Raising it only adds hosts.</summary>
    public required int Percent { get; init; }

    /// <summary>Private key files; the pointer needs the channel's signing threshold.</summary>
    public required IReadOnlyList<string> KeyFiles { get; init; }

    /// <summary>Validity of the re-signed pointer. Default 30 days.</summary>
    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromDays(30);
}
