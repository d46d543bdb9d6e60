namespace SecureUpdate.Formats;

/// <summary>A target's local state file (docs/formats.md).</summary>
internal sealed class StateDocument
{
    public const string SchemaName = "secure-update/state/v1";

    public required string Schema { get; init; }

    public required string App { get; init; }

    public required string Channel { get; init; }

    public string? Floor { get; init; }

    public IReadOnlyList<string>? Rejected { get; init; }

    public PendingConfirmationDocument? PendingConfirmation { get; init; }
}
