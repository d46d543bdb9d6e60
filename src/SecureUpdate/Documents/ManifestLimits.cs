namespace SecureUpdate.Documents;

/// <summary>Caps applied before and after parsing (threat: endless data).</summary>
public sealed class ManifestLimits
{
    /// <summary>Largest channel pointer read: 64 KiB.</summary>
    public const int MaxChannelPointerBytes = 64 * 1024;

    /// <summary>Largest manifest read, in bytes. Default 16 MiB.</summary>
    public int MaxManifestBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most files one manifest may list. Default 100 000.</summary>
    public int MaxFiles { get; init; } = 100_000;

    /// <summary>Largest total size of a release, in bytes. Default 64 GiB.</summary>
    public long MaxTotalBytes { get; init; } = 64L * 1024 * 1024 * 1024;

    /// <summary>The defaults.</summary>
    public static ManifestLimits Default { get; } = new();
}
