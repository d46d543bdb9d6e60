namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A fault armed on one path of a <see cref="FeedServer"/>; <see cref="Remaining"/> is null for "every request".</summary>
internal sealed class FeedFault
{
    public FeedFault(FeedFaultKind kind, int? remaining, int statusCode = 0, TimeSpan interval = default)
    {
        Kind = kind;
        Remaining = remaining;
        StatusCode = statusCode;
        Interval = interval;
    }

    public FeedFaultKind Kind { get; }

    public int? Remaining { get; set; }

    public int StatusCode { get; }

    public TimeSpan Interval { get; }
}
