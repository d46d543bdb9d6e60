namespace SecureUpdate.Tests.Infrastructure;

/// <summary>One request a <see cref="RangeFeedServer"/> answered.</summary>
/// <param name="Path">The requested path (relative, no leading slash).</param>
/// <param name="Range">Its Range header, or an empty string.</param>
/// <param name="IfRange">Its If-Range header, or an empty string.</param>
/// <param name="StatusCode">The status sent.</param>
public sealed record RangeRequest(string Path, string Range, string IfRange, int StatusCode);
