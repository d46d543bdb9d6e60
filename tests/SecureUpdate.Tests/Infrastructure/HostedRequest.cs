namespace SecureUpdate.Tests.Infrastructure;

/// <summary>One request a <see cref="StaticHostServer"/> answered.</summary>
/// <param name="Path">The requested path (relative, no leading slash).</param>
/// <param name="StatusCode">The status sent.</param>
/// <param name="AcceptEncoding">The request's Accept-Encoding header, or an empty string.</param>
/// <param name="IfModifiedSince">The request's If-Modified-Since header, or an empty string.</param>
/// <param name="ContentEncoding">The response's Content-Encoding header, or an empty string.</param>
/// <param name="BytesSent">Body bytes written (compressed when encoded); after the client has gone Kestrel discards writes, so for an aborted response this is an upper bound.</param>
public sealed record HostedRequest(string Path, int StatusCode, string AcceptEncoding, string IfModifiedSince, string ContentEncoding, long BytesSent);
