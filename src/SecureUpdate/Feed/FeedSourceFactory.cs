using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;

namespace SecureUpdate.Feed;

/// <summary>Turns a feed location into a source: an <c>http(s)://</c> URL or a local folder.</summary>
internal static class FeedSourceFactory
{
    /// <summary>
    /// Creates the source of one feed, or of several feeds read as mirrors (<see cref="MirroredFeedSource"/>).
    /// Every feed is checked before anything is fetched; a refused one among several is named (redacted).
    /// </summary>
    /// <exception cref="ConfigurationException">A feed is not a usable URL or folder.</exception>
    public static IFeedSource Create(IReadOnlyList<string> feeds, IFileSystem fileSystem, IHttpClientFactory httpClientFactory, TimeProvider timeProvider, SecureUpdateOptions options, ILogger logger)
    {
        if (feeds.Count == 1)
        {
            return Create(feeds[0], fileSystem, httpClientFactory, timeProvider, options);
        }

        var mirrors = new List<(string Name, IFeedSource Source)>(feeds.Count);
        try
        {
            for (var i = 0; i < feeds.Count; i++)
            {
                try
                {
                    mirrors.Add((feeds[i], Create(feeds[i], fileSystem, httpClientFactory, timeProvider, options)));
                }
                catch (ConfigurationException ex)
                {
                    throw Error.MirrorRefused(i + 1, feeds.Count, feeds[i], ex);
                }
            }

            return new MirroredFeedSource(mirrors, logger);
        }
        catch
        {
            foreach (var (_, source) in mirrors)
            {
                source.Dispose();
            }

            throw;
        }
    }

    /// <summary>Creates the source, refusing plain HTTP to hosts other than loopback unless allowed.</summary>
    /// <exception cref="ConfigurationException">The feed is not a usable URL or folder.</exception>
    public static IFeedSource Create(string feed, IFileSystem fileSystem, IHttpClientFactory httpClientFactory, TimeProvider timeProvider, SecureUpdateOptions options)
    {
        if (Uri.TryCreate(feed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                throw Error.FeedUrlNotPlain();
            }

            // Authenticity never depends on the transport, but plain HTTP over a real network leaks
            // what is installed and invites tampering that ends in refusals: loopback only, unless asked.
            if (!FeedHosts.PlainHttpAllowed(uri, options))
            {
                throw Error.InsecureHttp(uri.Host);
            }

            return new HttpFeedSource(httpClientFactory.CreateClient(SecureUpdateOptions.HttpClientName), uri, timeProvider, options);
        }

        if (feed.Contains("://", StringComparison.Ordinal))
        {
            throw Error.FeedNotUnderstood(feed);
        }

        var root = fileSystem.Path.GetFullPath(feed);
        if (!fileSystem.Directory.Exists(root))
        {
            throw Error.FeedFolderMissing(feed);
        }

        return new LocalFeedSource(fileSystem, root, timeProvider, options.StallTimeout);
    }
}
