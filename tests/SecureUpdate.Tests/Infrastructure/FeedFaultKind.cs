namespace SecureUpdate.Tests.Infrastructure;

/// <summary>How <see cref="FeedServer"/> misbehaves for one path.</summary>
public enum FeedFaultKind
{
    /// <summary>Answer with a given status code and no body.</summary>
    Status,

    /// <summary>Announce the full Content-Length, send half the body, then close the connection.</summary>
    CutShort,

    /// <summary>Random bytes forever, chunked, no Content-Length.</summary>
    Endless,

    /// <summary>The real body, one byte at a time with a pause between bytes.</summary>
    SlowDrip,
}
