using System.Globalization;
using System.Net.Http.Headers;

namespace SecureUpdate.Feed;

/// <summary>
/// The validator of a conditionally read document, as one opaque string the caller keeps: the
/// response's entity tag as sent (<c>"…"</c> or <c>W/"…"</c>), or, when the server sent no ETag, its
/// <c>Last-Modified</c> date in the HTTP form (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>). The two never
/// look alike (an entity tag starts with a quote or <c>W/</c>), so the next request sends
/// <c>If-None-Match</c> or <c>If-Modified-Since</c> accordingly. Either only saves a transfer: what
/// is read is verified as always, and a "not modified" counts only until the pointer last verified expires.
/// </summary>
internal static class HttpValidator
{
    /// <summary>
    /// The response's ETag, else its Last-Modified date, else null. A date less than a second before the
    /// response's own Date (or after it) is no validator: the file may change again within that second,
    /// and "not modified since" would then hide the change (RFC 9110, 8.8.2.2).
    /// </summary>
    public static string? Of(HttpResponseMessage response)
    {
        if (response.Headers.ETag is { } tag)
        {
            return tag.ToString();
        }

        if (response.Content.Headers.LastModified is not { } modified
            || (response.Headers.Date is { } date && modified > date - TimeSpan.FromSeconds(1)))
        {
            return null;
        }

        return modified.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
    }

    /// <summary>Makes <paramref name="request"/> conditional on <paramref name="validator"/>; a value that is neither form is not sent.</summary>
    public static void AddTo(HttpRequestMessage request, string? validator)
    {
        if (validator is null)
        {
            return;
        }

        if (EntityTagHeaderValue.TryParse(validator, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }
        else if (DateTimeOffset.TryParseExact(validator, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modified))
        {
            request.Headers.IfModifiedSince = modified;
        }
    }
}
