namespace SecureUpdate;

/// <summary>Whether the debug-shell fallback may open for a target on this machine, and if not, why.</summary>
public sealed class DebugShellAvailability
{
    internal DebugShellAvailability(string? reason)
    {
        Reason = reason;
    }

    /// <summary>True when <c>SECURE_UPDATE_DEBUG=1</c> and the target's owner-only <c>debug-allowed</c> file are both present.</summary>
    public bool IsPermitted => Reason is null;

    /// <summary>Why it is not permitted, as a phrase; null when it is.</summary>
    public string? Reason { get; }
}
