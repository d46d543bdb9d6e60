namespace SecureUpdate.Formats;

/// <summary>A versioned trust root, <c>FEED/trust/N.json</c> (docs/formats.md, "Trust roots").</summary>
internal sealed class RootDocument
{
    public const string SchemaName = "secure-update/root/v1";

    public required string Schema { get; init; }

    /// <summary>1, 2, …: root N+1 must be signed by the root roles of N and of N+1.</summary>
    public required int Version { get; init; }

    /// <summary>After this instant the root stops updates until a newer one is published (threat: freeze).</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>Every public key any role names.</summary>
    public required IReadOnlyList<TrustDocumentKey> Keys { get; init; }

    public required RootRolesDocument Roles { get; init; }
}
