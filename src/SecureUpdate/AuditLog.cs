namespace SecureUpdate;

/// <summary>A target's audit events (<c>events.log</c>), oldest first, and whether their hash chain and head are intact.</summary>
public sealed class AuditLog
{
    internal AuditLog(IReadOnlyList<AuditEvent> events, string? broken)
    {
        Events = events;
        Broken = broken;
    }

    /// <summary>The events, oldest first; lines that are not events are left out.</summary>
    public IReadOnlyList<AuditEvent> Events { get; }

    /// <summary>Whether no line was edited, reordered, removed or cut.</summary>
    public bool IsIntact => Broken is null;

    /// <summary>Where the log breaks, as a phrase, or null when it is intact.</summary>
    public string? Broken { get; }
}
