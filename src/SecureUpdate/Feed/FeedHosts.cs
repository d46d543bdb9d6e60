using System.Net;
using SecureUpdate.Configuration;

namespace SecureUpdate.Feed;

/// <summary>The rule for plain HTTP, applied to the feed URL and to every redirect hop: loopback only, unless allowed.</summary>
internal static class FeedHosts
{
    /// <summary>True for <c>localhost</c> and loopback addresses.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    /// <summary>True when a plain <c>http://</c> URL may be used under <paramref name="options"/>.</summary>
    public static bool PlainHttpAllowed(Uri uri, SecureUpdateOptions options) =>
        uri.Scheme != Uri.UriSchemeHttp || options.AllowInsecureHttp || IsLoopback(uri);
}
