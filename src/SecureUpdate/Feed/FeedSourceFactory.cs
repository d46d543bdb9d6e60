using System.IO.Abstractions;
using System.Net;

namespace SecureUpdate.Feed;

/// <summary>Turns a <c>--feed</c> value into a source: an <c>http(s)://</c> URL or a local folder.</summary>
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
                throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, "The feed URL must not carry credentials, a query or a fragment.");
            }

            // Authenticity never depends on the transport, but plain HTTP over a real network leaks
            // what is installed and invites tampering that ends in refusals: loopback only, unless asked.
            if (uri.Scheme == Uri.UriSchemeHttp && !options.AllowInsecureHttp && !IsLoopback(uri))
            {
                throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, $"Plain http:// is allowed only to loopback hosts; use https:// or pass --allow-http for '{uri.Host}'.");
            }

            return new HttpFeedSource(httpClientFactory.CreateClient(SecureUpdateOptions.HttpClientName), uri, timeProvider, options);
        }

        if (feed.Contains("://", StringComparison.Ordinal))
        {
            throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, $"The feed '{feed}' is neither an http(s) URL nor a folder.");
        }

        var root = fileSystem.Path.GetFullPath(feed);
        if (!fileSystem.Directory.Exists(root))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The feed folder '{feed}' does not exist.");
        }

        return new LocalFeedSource(fileSystem, root, timeProvider, options.StallTimeout);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
