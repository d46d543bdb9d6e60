using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// The trust chain of a feed folder, read by the release side: <c>trust/1.json</c> signed by its own
/// root role, then every next root verified against the one before, exactly as clients walk it.
/// </summary>
internal static class FeedTrust
{
    /// <summary>Most roots a feed's chain may hold, read from its start (a bound, not a schedule: years of weekly rotations).</summary>
    private const int MaxRoots = 100_000;

    /// <summary>The newest root of the feed's chain, or null when the feed has no chain.</summary>
    /// <exception cref="VerificationException">A root of the chain does not verify.</exception>
    public static TrustRoot? ReadNewest(IFileSystem fileSystem, string feed)
    {
        TrustRoot? current = null;
        for (var version = 1; version <= MaxRoots; version++)
        {
            var path = fileSystem.Path.Combine(feed, FeedPaths.TrustRoot(version));
            if (!fileSystem.File.Exists(path))
            {
                return current;
            }

            var document = LocalFiles.ReadCapped(fileSystem, path, TrustRoot.MaxFileBytes, "trust root");
            var signatures = PublishedFiles.ReadSignatures(fileSystem, path, UpdateStage.Trust, $"trust root {version}");
            current = current is null ? TrustChain.VerifyFirst(document, signatures) : TrustChain.VerifyNext(current, document, signatures);
        }

        throw Error.TrustChainTooLong(MaxRoots);
    }
}
