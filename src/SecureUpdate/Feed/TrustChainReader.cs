using SecureUpdate.Errors;
using SecureUpdate.Trust;

namespace SecureUpdate.Feed;

/// <summary>
/// Walks a feed's trust chain from a root the target already trusts: fetches <c>trust/N+1.json</c>,
/// <c>N+2</c>, … until the feed has no next one, verifying every step (<see cref="TrustChain.VerifyNext"/>);
/// refuses a chain that goes on for more than <see cref="MaxSteps"/> rotations, a newest root that has
/// expired (freeze), and a feed that no longer serves the pinned root as it was (rollback of trust).
/// </summary>
internal sealed class TrustChainReader
{
    /// <summary>Most rotations walked in one run (threat: endless data).</summary>
    public const int MaxSteps = 1000;

    private readonly IFeedSource _feed;
    private readonly DateTimeOffset _now;

    public TrustChainReader(IFeedSource feed, DateTimeOffset now)
    {
        _feed = feed;
        _now = now;
    }

    /// <summary>Walks from <paramref name="start"/> to the newest root the feed serves.</summary>
    /// <exception cref="VerificationException">A step does not verify, the chain is too long, the newest root expired, or the feed is behind the start.</exception>
    public async Task<TrustWalk> WalkAsync(TrustRoot start, CancellationToken cancellationToken)
    {
        if (start.Version >= 1)
        {
            // The feed must still serve the root this target trusts, exactly: a feed whose chain ends
            // below it, or that has another root under its number, is behind or forked.
            var served = await ReadOptionalAsync(FeedPaths.TrustRoot(start.Version), cancellationToken).ConfigureAwait(false);
            if (served is null || !served.AsSpan().SequenceEqual(start.Bytes))
            {
                throw Error.TrustRolledBack(start.Version, missing: served is null);
            }
        }

        var steps = new List<TrustRoot>();
        var current = start;
        while (true)
        {
            var path = FeedPaths.TrustRoot(current.Version + 1);
            var document = await ReadOptionalAsync(path, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                break;
            }

            if (steps.Count == MaxSteps)
            {
                throw Error.TrustChainTooLong(MaxSteps);
            }

            var signatures = await _feed.ReadSignaturesAsync(path, UpdateStage.Trust, $"trust root {current.Version + 1}", cancellationToken).ConfigureAwait(false);
            current = TrustChain.VerifyNext(current, document, signatures);
            steps.Add(current);
        }

        if (current.Expires is { } expires && expires <= _now)
        {
            throw Error.TrustExpired(current.Version, expires);
        }

        return new TrustWalk(start, current, steps);
    }

    /// <summary>A trust root document, or null when the feed has none at <paramref name="path"/>.</summary>
    private async Task<byte[]?> ReadOptionalAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _feed.ReadDocumentAsync(path, TrustRoot.MaxFileBytes, UpdateStage.Trust, cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
