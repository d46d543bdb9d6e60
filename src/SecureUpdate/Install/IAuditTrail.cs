namespace SecureUpdate.Install;

/// <summary>
/// Where a target's audit events go (implemented by the events layer: <c>events.log</c> and the
/// host's log). Defined here, below its implementation, so that every layer that changes a target
/// can record what it did without depending on how events are stored.
/// </summary>
internal interface IAuditTrail
{
    /// <summary>Records <paramref name="record"/> for the target whose state is at <paramref name="layout"/>. Best effort: never throws.</summary>
    void Record(TargetLayout layout, AuditRecord record);
}
