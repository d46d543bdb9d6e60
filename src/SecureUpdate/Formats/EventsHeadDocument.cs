namespace SecureUpdate.Formats;

/// <summary>The head of <c>events.log</c>: how many lines it has and the SHA-256 of the last, so cutting the newest lines is detectable.</summary>
internal sealed class EventsHeadDocument
{
    public const string SchemaName = "secure-update/events-head/v1";

    public required string Schema { get; init; }

    public required long Lines { get; init; }

    public required string LastHash { get; init; }
}
