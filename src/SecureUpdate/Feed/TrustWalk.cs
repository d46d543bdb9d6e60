using SecureUpdate.Trust;

namespace SecureUpdate.Feed;

/// <summary>Where walking a feed's trust chain ended.</summary>
/// <param name="Start">The root the walk started from (the target's pinned root, or the one given for a first install).</param>
/// <param name="Newest">The newest root of the chain: release documents are verified against it.</param>
/// <param name="Steps">The roots newer than <paramref name="Start"/>, in order, each verified against the one before.</param>
internal sealed record TrustWalk(TrustRoot Start, TrustRoot Newest, IReadOnlyList<TrustRoot> Steps);
