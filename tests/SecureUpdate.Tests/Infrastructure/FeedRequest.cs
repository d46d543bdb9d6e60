namespace SecureUpdate.Tests.Infrastructure;

/// <summary>One request the <see cref="FeedServer"/> answered, as it was when the response started.</summary>
/// <param name="Path">The requested path (relative, no leading slash).</param>
/// <param name="At">When it arrived, on the server's monotonic clock (<see cref="FeedServer.Elapsed"/>).</param>
/// <param name="UserAgent">The client's User-Agent header, or an empty string.</param>
/// <param name="Conditional">Whether it carried If-None-Match.</param>
/// <param name="StatusCode">The status sent (0 when the connection was aborted before any response).</param>
/// <param name="ContentLength">The announced body length, or null (none announced, e.g. an endless body).</param>
public sealed record FeedRequest(string Path, TimeSpan At, string UserAgent, bool Conditional, int StatusCode, long? ContentLength);
