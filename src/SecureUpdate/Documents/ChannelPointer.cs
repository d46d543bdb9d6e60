namespace SecureUpdate.Documents;

/// <summary>A verified channel pointer: the newest version of a channel and the digest of its manifest.</summary>
internal sealed class ChannelPointer
{
    public ChannelPointer(string app, string channel, SemanticVersion version, byte[] manifestSha256, long manifestSize, DateTimeOffset expires, int rolloutPercent = 100)
    {
        RolloutPercent = rolloutPercent;
        App = app;
        Channel = channel;
        Version = version;
        ManifestSha256 = manifestSha256;
        ManifestSize = manifestSize;
        Expires = expires;
    }

    public string App { get; }

    public string Channel { get; }

    public SemanticVersion Version { get; }

    public byte[] ManifestSha256 { get; }

    public long ManifestSize { get; }

    public DateTimeOffset Expires { get; }

    /// <summary>The percentage of hosts that take this version (staged rollout), 0–100.</summary>
    public int RolloutPercent { get; }
}
