namespace SecureUpdate.Tests.Samples;

/// <summary>One line of a target's <c>events.log</c>: the event, the version it concerns, and its error code.</summary>
internal sealed record AuditEntry(string Event, string? Version, string? ErrorCode)
{
    public override string ToString() => $"{Event} {Version ?? "-"} {ErrorCode ?? ""}".TrimEnd();
}
