using System.IO.Compression;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Feed;

/// <summary>
/// Reads a document's body from an HTTP response, as sent or gzip-encoded (<c>Content-Encoding: gzip</c>,
/// asked for with <c>Accept-Encoding: gzip</c> on documents only; blobs are exact bytes and never encoded).
/// The cap applies to the decoded bytes, which are what is hashed and verified: at most cap + 1 decoded
/// bytes are ever asked of the decoder, so a gzip bomb ends as "too large" after that. The compressed
/// bytes are bounded too (<see cref="CompressedLimit"/>), so data that decodes to nothing cannot be read
/// without end. Any other encoding is refused.
/// </summary>
internal static class DocumentBody
{
    /// <summary>The most compressed bytes read for a document of at most <paramref name="cap"/> decoded bytes: twice the cap and a little, more than gzip ever needs.</summary>
    public static long CompressedLimit(long cap) => (2 * cap) + 4096;

    /// <summary>The decoded bytes of <paramref name="response"/>'s body.</summary>
    /// <exception cref="VerificationException">The decoded (or compressed) body is larger than allowed (<see cref="ErrorCode.TooLarge"/>).</exception>
    /// <exception cref="TransportException">An encoding other than gzip, or gzip that does not decode.</exception>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, string relativePath, long cap, UpdateStage stage, TimeSpan stallTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var gzip = IsGzip(response, relativePath, stage);
        if (!gzip && response.Content.Headers.ContentLength > cap)
        {
            throw Error.FeedFileTooLarge(stage, relativePath, cap);
        }

        using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        if (!gzip)
        {
            var (_, overflow) = await StreamCopier.CopyAsync(body, buffer, cap, null, stallTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            return overflow ? throw Error.FeedFileTooLarge(stage, relativePath, cap) : buffer.ToArray();
        }

        var compressed = new BoundedReadStream(body, CompressedLimit(cap));
        using var decoded = new GZipStream(compressed, CompressionMode.Decompress);
        try
        {
            var (_, overflow) = await StreamCopier.CopyAsync(decoded, buffer, cap, null, stallTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            if (overflow || compressed.Exceeded)
            {
                throw Error.FeedFileTooLarge(stage, relativePath, cap);
            }
        }
        catch (InvalidDataException ex)
        {
            throw compressed.Exceeded ? Error.FeedFileTooLarge(stage, relativePath, cap) : Error.BadGzip(stage, relativePath, ex);
        }

        return buffer.ToArray();
    }

    /// <summary>True for gzip, false for no encoding (or identity); anything else is refused.</summary>
    private static bool IsGzip(HttpResponseMessage response, string relativePath, UpdateStage stage)
    {
        var gzip = false;
        foreach (var encoding in response.Content.Headers.ContentEncoding)
        {
            if (string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // One layer of gzip only: nothing asked for more, and every layer would multiply a bomb.
            if (!gzip && (string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase) || string.Equals(encoding, "x-gzip", StringComparison.OrdinalIgnoreCase)))
            {
                gzip = true;
                continue;
            }

            throw Error.UnknownContentEncoding(stage, relativePath, string.Join(", ", response.Content.Headers.ContentEncoding));
        }

        return gzip;
    }
}
