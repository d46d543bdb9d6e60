namespace SecureUpdate.Formats;

/// <summary>A target's local state file (docs/formats.md).</summary>
internal sealed class StateDocument
{
    public const string SchemaName = "secure-update/state/v1";

    public required string Schema { get; init; }

    public required string App { get; init; }

    public required string Channel { get; init; }

    public string? Floor { get; init; }

    /// <summary>For a single-file target only: the version the file holds.</summary>
    public string? Current { get; init; }

    public IReadOnlyList<string>? Rejected { get; init; }

    public PendingConfirmationDocument? PendingConfirmation { get; init; }
}
