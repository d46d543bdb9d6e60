using SecureUpdate.Trust;

namespace SecureUpdate;

/// <summary>What the companion process does for an app that staged an update and is exiting.</summary>
public sealed class SwapRequest
{
    /// <summary>The target whose newest staged version is switched to (a folder target; a single file has nothing staged).</summary>
    public required Target Target { get; init; }

    /// <summary>The trust root; null uses the one the target was installed with.</summary>
    public TrustRoot? Trust { get; init; }

    /// <summary>A process to wait for before switching (the exiting app), or null.</summary>
    public int? WaitPid { get; init; }

    /// <summary>Longest wait for <see cref="WaitPid"/>. Default 60 s.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A shell command started detached in the new version's folder after the switch (and in the previous one after a switch back).</summary>
    public string? Restart { get; init; }

    /// <summary>A shell command that decides health after the switch; non-zero or a timeout switches back.</summary>
    public string? HealthCheck { get; init; }

    /// <summary>Longest the health check may run. Default 30 s.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Health by confirmation: when set, the new version must call <see cref="UpdateClient.ConfirmHealthyAsync"/>
    /// within this time and within <see cref="ConfirmationStarts"/> starts, or it is reverted.
    /// </summary>
    public TimeSpan? ConfirmWithin { get; init; }

    /// <summary>Starts the new version gets to confirm itself healthy. Default 3.</summary>
    public int ConfirmationStarts { get; init; } = 3;
}
