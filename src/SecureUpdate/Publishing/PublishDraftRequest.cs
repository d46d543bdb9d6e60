using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>Moves a signed draft release (<see cref="ReleaseRequest.Draft"/>) into its feed.</summary>
public sealed class PublishDraftRequest
{
    /// <summary>The feed folder the draft was made for.</summary>
    public required string Feed { get; init; }

    /// <summary>The draft folder.</summary>
    public required string Draft { get; init; }

    /// <summary>
    /// The trust root whose release role must have signed the draft, for a feed without a trust chain;
    /// a feed with a chain is always checked against its newest root.
    /// </summary>
    public TrustRoot? Trust { get; init; }
}
