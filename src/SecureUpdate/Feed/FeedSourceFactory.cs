using System.IO.Abstractions;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;

namespace SecureUpdate.Feed;

/// <summary>Turns a feed location into a source: an <c>http(s)://</c> URL or a local folder.</summary>
internal static class FeedSourceFactory
{
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
