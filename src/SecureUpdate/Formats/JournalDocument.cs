namespace SecureUpdate.Formats;

/// <summary>The one operation in progress on a target, written before it changes anything (docs/formats.md, "Journal").</summary>
internal sealed class JournalDocument
{
    public const string SchemaName = "secure-update/journal/v1";

    public required string Schema { get; init; }

    /// <summary><c>stage</c>, <c>install</c> or <c>rollback</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The version the operation moves to.</summary>
    public required string Version { get; init; }

    /// <summary>The version current when it started, if any.</summary>
    public string? Previous { get; init; }

    /// <summary>Whether the operation created <c>versions/VERSION</c> (and so removes it when undone).</summary>
    public bool CreatedVersion { get; init; }

    /// <summary>Whether the new version must pass a health check before the operation counts as done.</summary>
    public bool AwaitingHealth { get; init; }
}
