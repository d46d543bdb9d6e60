namespace SecureUpdate;

/// <summary>The result of a successful apply.</summary>
public sealed class ApplyResult
{
    internal ApplyResult(ApplyOutcome outcome, string app, string channel, string version, string? previousVersion, int filesDownloaded, int filesReused, long bytesDownloaded)
    {
        Outcome = outcome;
        App = app;
        Channel = channel;
        Version = version;
        PreviousVersion = previousVersion;
        FilesDownloaded = filesDownloaded;
        FilesReused = filesReused;
        BytesDownloaded = bytesDownloaded;
    }

    /// <summary>What happened.</summary>
    public ApplyOutcome Outcome { get; }

    /// <summary>The app id.</summary>
    public string App { get; }

    /// <summary>The channel.</summary>
    public string Channel { get; }

    /// <summary>The version now current.</summary>
    public string Version { get; }

    /// <summary>The version current before, if any.</summary>
    public string? PreviousVersion { get; }

    /// <summary>Files fetched from the feed.</summary>
    public int FilesDownloaded { get; }

    /// <summary>Files copied from an installed version instead of downloaded.</summary>
    public int FilesReused { get; }

    /// <summary>Payload bytes fetched from the feed.</summary>
    public long BytesDownloaded { get; }
}
