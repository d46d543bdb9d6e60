namespace SecureUpdate.Errors;

/// <content>Several feeds (mirrors), HTTP validators and encoded documents.</content>
internal static partial class Error
{
    /// <summary>Neither one feed nor a list of feeds given, or both.</summary>
    public static ConfigurationException FeedsNotExactlyOne(bool both) =>
        Usage(both ? "Give either one feed or a list of feeds (mirrors), not both." : "No feed given: give one feed, or a list of feeds (mirrors).", "Feed");

    /// <summary>An empty entry in the list of feeds.</summary>
    public static ConfigurationException FeedEmpty(int number, int count) =>
        Usage($"Feed {number} of {count} is empty.", "Feed");

    /// <summary>One feed of several refused when the sources are created: the same refusal, saying which (its location redacted).</summary>
    public static ConfigurationException MirrorRefused(int number, int count, string feed, ConfigurationException inner) =>
        new(inner.Code, inner.Stage, $"Feed {number} of {count} ('{MirrorName(feed)}'): {inner.Message}", inner) { Setting = inner.Setting, Path = inner.Path };

    /// <summary>
    /// Every mirror failed to deliver <paramref name="relativePath"/>: one line naming each and why. When some
    /// answered that they do not have it and the others could not be reached, the file is missing
    /// (<see cref="TransportException.IsNotFound"/>), as a single feed that answers not found.
    /// </summary>
    public static TransportException EveryMirrorFailed(UpdateStage stage, string relativePath, IReadOnlyList<(string Mirror, TransportException Failure)> failures, bool notFound)
    {
        var parts = failures.Select(failure => $"'{MirrorName(failure.Mirror)}': {failure.Failure.Message}");
        return new(ErrorCode.Transport, stage, $"Every mirror failed for '{Printable.Of(relativePath)}': {string.Join("; ", parts)}", failures[^1].Failure, notFound) { Path = relativePath };
    }

    /// <summary>A payload that did not match its signed digest and size on every try: twice from one feed, or once from each of three or more mirrors.</summary>
    public static VerificationException PayloadMismatch(string path, long size, int attempts) =>
        attempts <= 2
            ? PayloadMismatch(path, size)
            : new(ErrorCode.HashMismatch, UpdateStage.Payload, $"'{Printable.Of(path)}' does not match its signed SHA-256 and size ({size} bytes) from any of the {attempts} mirrors; refusing the release.") { Path = path };

    /// <summary>A document sent with a Content-Encoding other than gzip (or none).</summary>
    public static TransportException UnknownContentEncoding(UpdateStage stage, string relativePath, string encoding) =>
        new(ErrorCode.Transport, stage, $"The feed sent '{Printable.Of(relativePath)}' with Content-Encoding '{Printable.Of(encoding)}'; only gzip (or none) is accepted.") { Path = relativePath };

    /// <summary>A gzip-encoded document whose compressed bytes are not valid gzip.</summary>
    public static TransportException BadGzip(UpdateStage stage, string relativePath, Exception inner) =>
        new(ErrorCode.Transport, stage, $"The feed sent '{Printable.Of(relativePath)}' gzip-encoded, but it is not valid gzip: {inner.Message}", inner) { Path = relativePath };

    /// <summary>A feed location as it may be printed: credentials, query and fragment hidden, control characters escaped.</summary>
    public static string MirrorName(string feed)
    {
        var redacted = RedactedUrl.Of(feed);
        if (redacted.Contains("://", StringComparison.Ordinal))
        {
            // A query or fragment may carry a token; such a feed is refused anyway, but never echoed.
            var cut = redacted.IndexOfAny(['?', '#']);
            if (cut >= 0)
            {
                redacted = string.Concat(redacted.AsSpan(0, cut + 1), "***");
            }
        }

        return Printable.Of(redacted);
    }
}
