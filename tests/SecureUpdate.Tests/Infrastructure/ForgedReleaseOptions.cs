namespace SecureUpdate.Tests.Infrastructure;

/// <summary>What a forged release says about itself where it differs from where it is served.</summary>
public sealed class ForgedReleaseOptions
{
    /// <summary>The app named inside the manifest (default: the app of the feed path).</summary>
    public string? ManifestApp { get; init; }

    /// <summary>The channel named inside the manifest.</summary>
    public string? ManifestChannel { get; init; }

    /// <summary>The app named inside the channel pointer.</summary>
    public string? ChannelApp { get; init; }

    /// <summary>The channel named inside the channel pointer.</summary>
    public string? ChannelChannel { get; init; }

    /// <summary>The manifest's expiry (default: 30 days from now).</summary>
    public DateTimeOffset? ManifestExpires { get; init; }

    /// <summary>The channel pointer's expiry (default: 7 days from now).</summary>
    public DateTimeOffset? ChannelExpires { get; init; }
}
