namespace SecureUpdate.Formats;

/// <summary>A switched version still waiting to confirm itself healthy (boot counting).</summary>
internal sealed class PendingConfirmationDocument
{
    public required string Version { get; init; }

    public string? Previous { get; init; }

    public required DateTimeOffset Deadline { get; init; }

    public required int StartsLeft { get; init; }
}
