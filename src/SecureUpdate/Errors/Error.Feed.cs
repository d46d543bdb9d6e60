namespace SecureUpdate.Errors;

/// <content>The feed: where it is, and reading from it (transport failures are exit 4).</content>
internal static partial class Error
{
    /// <summary>A feed URL with credentials, a query or a fragment.</summary>
    public static ConfigurationException FeedUrlNotPlain() =>
        Usage("The feed URL must not carry credentials, a query or a fragment.", "Feed");

    /// <summary>Plain HTTP to a host that is not loopback, without the option that allows it.</summary>
    public static ConfigurationException InsecureHttp(string host) =>
        Usage($"Plain http:// is allowed only to loopback hosts; use https:// or allow insecure HTTP for '{Printable.Of(host)}'.", "AllowInsecureHttp");

    /// <summary>A feed that is neither an http(s) URL nor a folder.</summary>
    public static ConfigurationException FeedNotUnderstood(string feed) =>
        Usage($"The feed '{Printable.Of(RedactedUrl.Of(feed))}' is neither an http(s) URL nor a folder.", "Feed");

    /// <summary>A feed folder that does not exist.</summary>
    public static ConfigurationException FeedFolderMissing(string feed) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The feed folder '{Printable.Of(feed)}' does not exist.") { Setting = "Feed", Path = feed };

    /// <summary>A feed file larger than its cap (threat: endless data).</summary>
    public static VerificationException FeedFileTooLarge(UpdateStage stage, string relativePath, long cap) =>
        new(ErrorCode.TooLarge, stage, $"'{relativePath}' in the feed is larger than its limit of {cap} bytes.");

    /// <summary>The feed has no such file (HTTP 404, or no file in a folder feed).</summary>
    public static TransportException FeedFileMissing(UpdateStage stage, string relativePath, string detail, Exception? inner = null) =>
        new(ErrorCode.Transport, stage, detail, inner, notFound: true) { Path = relativePath };

    /// <summary>The feed could not be read.</summary>
    public static TransportException Transport(UpdateStage stage, string detail, Exception? inner = null) =>
        new(ErrorCode.Transport, stage, detail, inner);

    /// <summary>The overall deadline passed.</summary>
    public static TransportException DeadlinePassed(TimeSpan deadline, Exception inner) =>
        new(ErrorCode.Timeout, UpdateStage.Payload, $"The update did not finish within its deadline of {deadline}.", inner);

    /// <summary>A payload that did not match its signed digest and size twice (threat: tampering, broken mirror).</summary>
    public static VerificationException PayloadMismatch(string path, long size) =>
        new(ErrorCode.HashMismatch, UpdateStage.Payload, $"'{Printable.Of(path)}' from the feed does not match its signed SHA-256 and size ({size} bytes), twice; refusing the release.") { Path = path };
}
