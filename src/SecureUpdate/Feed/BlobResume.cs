using System.Globalization;
using System.Net.Http.Headers;

namespace SecureUpdate.Feed;

/// <summary>
/// Continuing an interrupted blob download over HTTP (RFC 9110 sections 13.1.5 and 14): ask for the
/// rest with <c>Range: bytes=N-</c> and <c>If-Range</c> with the validator the server gave for the
/// bytes already held, so a server whose blob changed sends the whole new body (200) instead of a
/// rest that does not fit; and accept a 206 only when its <c>Content-Range</c> is exactly that rest.
/// </summary>
internal static class BlobResume
{
    /// <summary>The validator a response gives for its body: its strong ETag, else its Last-Modified date (RFC 1123), else null (a weak ETag cannot be used in If-Range).</summary>
    public static string? ValidatorOf(HttpResponseMessage response)
    {
        if (response.Headers.ETag is { IsWeak: false } tag)
        {
            return tag.ToString();
        }

        return response.Content.Headers.LastModified is { } modified && response.Headers.ETag is null
            ? modified.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>The If-Range condition for a kept validator, or null when it is not one (then nothing is continued).</summary>
    public static RangeConditionHeaderValue? Condition(string? validator)
    {
        if (validator is null)
        {
            return null;
        }

        if (validator.StartsWith('"'))
        {
            return EntityTagHeaderValue.TryParse(validator, out var tag) && !tag.IsWeak && tag.ToString() == validator ? new RangeConditionHeaderValue(tag) : null;
        }

        return DateTimeOffset.TryParseExact(validator, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? new RangeConditionHeaderValue(date)
            : null;
    }

    /// <summary>Asks for the bytes from <paramref name="offset"/> to the end, only if the blob still has the validator in <paramref name="condition"/>.</summary>
    public static void AskFrom(HttpRequestMessage request, long offset, RangeConditionHeaderValue condition)
    {
        request.Headers.Range = new RangeHeaderValue(offset, null);
        request.Headers.IfRange = condition;
    }

    /// <summary>Whether a 206 answer is exactly bytes <paramref name="offset"/> to the end of a blob of <paramref name="size"/> bytes.</summary>
    public static bool ContinuesAt(HttpResponseMessage response, long offset, long size) =>
        response.Content.Headers.ContentRange is { HasRange: true, HasLength: true } range
        && string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase)
        && range.From == offset
        && range.To == size - 1
        && range.Length == size;
}
