namespace SecureUpdate.Formats;

/// <summary>A role: the key ids that may sign for it, and how many distinct ones must.</summary>
internal sealed class RoleDocument
{
    public required int Threshold { get; init; }

    public required IReadOnlyList<string> KeyIds { get; init; }
}
