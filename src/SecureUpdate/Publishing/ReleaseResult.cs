namespace SecureUpdate.Publishing;

/// <summary>What a release added to a feed.</summary>
public sealed class ReleaseResult
{
    internal ReleaseResult(string app, string channel, string version, string manifestSha256, int files, long totalBytes, int newBlobs, DateTimeOffset expires)
    {
        App = app;
        Channel = channel;
        Version = version;
        ManifestSha256 = manifestSha256;
        Files = files;
        TotalBytes = totalBytes;
        NewBlobs = newBlobs;
        Expires = expires;
    }

    /// <summary>App id.</summary>
    public string App { get; }

    /// <summary>Channel.</summary>
    public string Channel { get; }

    /// <summary>Version released.</summary>
    public string Version { get; }

    /// <summary>Lowercase hex SHA-256 of the manifest bytes, as an allowlist would name it.</summary>
    public string ManifestSha256 { get; }

    /// <summary>Files in the release.</summary>
    public int Files { get; }

    /// <summary>Total payload size.</summary>
    public long TotalBytes { get; }

    /// <summary>Blobs the feed did not hold yet.</summary>
    public int NewBlobs { get; }

    /// <summary>Expiry of the manifest and pointer.</summary>
    public DateTimeOffset Expires { get; }
}
