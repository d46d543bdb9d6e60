using SecureUpdate.Errors;

namespace SecureUpdate.Feed;

/// <summary>The feed of a request: one feed (the shorthand) or a list of mirrors, exactly one of them.</summary>
internal static class FeedLocations
{
    /// <summary>The feeds to read, in order.</summary>
    /// <exception cref="ConfigurationException">Neither or both are given, the list is empty, or an entry is empty.</exception>
    public static IReadOnlyList<string> Of(string? feed, IReadOnlyList<string>? feeds)
    {
        var hasOne = !string.IsNullOrEmpty(feed);
        var hasList = feeds is { Count: > 0 };
        if (hasOne == hasList)
        {
            throw Error.FeedsNotExactlyOne(both: hasOne);
        }

        if (hasOne)
        {
            return [feed!];
        }

        for (var i = 0; i < feeds!.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(feeds[i]))
            {
                throw Error.FeedEmpty(i + 1, feeds.Count);
            }
        }

        return [.. feeds];
    }

    /// <summary>The feeds as they may be logged or printed (credentials hidden).</summary>
    public static string Describe(IReadOnlyList<string> feeds) => string.Join(", ", feeds.Select(Error.MirrorName));
}
