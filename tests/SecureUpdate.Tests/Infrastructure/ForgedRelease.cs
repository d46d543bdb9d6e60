namespace SecureUpdate.Tests.Infrastructure;

/// <summary>The documents a <see cref="FeedForger"/> wrote for one release.</summary>
public sealed class ForgedRelease
{
    public ForgedRelease(string manifestPath, byte[] manifestBytes, string manifestSha256, string channelPath, byte[] channelBytes)
    {
        ManifestPath = manifestPath;
        ManifestBytes = manifestBytes;
        ManifestSha256 = manifestSha256;
        ChannelPath = channelPath;
        ChannelBytes = channelBytes;
    }

    /// <summary>Feed-relative path of the manifest.</summary>
    public string ManifestPath { get; }

    public byte[] ManifestBytes { get; }

    public string ManifestSha256 { get; }

    /// <summary>Feed-relative path of the channel pointer.</summary>
    public string ChannelPath { get; }

    public byte[] ChannelBytes { get; }
}
