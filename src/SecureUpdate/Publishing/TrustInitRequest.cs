namespace SecureUpdate.Publishing;

/// <summary>A new trust root document to write, unsigned: the whole root, nothing carried over implicitly.</summary>
public sealed class TrustInitRequest
{
    /// <summary>Where to write the document (signatures go beside it, in <c>.sig</c>, one signer at a time).</summary>
    public required string Out { get; init; }

    /// <summary>The public key files (<c>.pub</c>) of the root role, which signs trust roots.</summary>
    public required IReadOnlyList<string> RootKeys { get; init; }

    /// <summary>How many root keys must sign a trust root. Default 1.</summary>
    public int RootThreshold { get; init; } = 1;

    /// <summary>The public key files of the release role, which signs manifests and channel pointers.</summary>
    public required IReadOnlyList<string> ReleaseKeys { get; init; }

    /// <summary>How many release keys must sign a release. Default 1.</summary>
    public int ReleaseThreshold { get; init; } = 1;

    /// <summary>Retired release keys: their signatures still verify installed versions, never a new release.</summary>
    public IReadOnlyList<string> VerifyOnlyKeys { get; init; } = [];

    /// <summary>How long the root is valid; clients stop updating after that. Default 365 days.</summary>
    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromDays(365);

    /// <summary>A feed folder whose chain the root continues (version = newest + 1); null for version 1.</summary>
    public string? Feed { get; init; }
}
