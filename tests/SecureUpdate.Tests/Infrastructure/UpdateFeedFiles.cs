namespace SecureUpdate.Tests.Infrastructure;

/// <summary>The feed files that an update from 1.0.0 to 1.1.0 needs, by a stable name a theory can use.</summary>
public static class UpdateFeedFiles
{
    public const string Channel = "channel.json";
    public const string ChannelSignature = "channel.json.sig";
    public const string Manifest = "manifest";
    public const string ManifestSignature = "manifest.sig";
    public const string BlobPrefix = "blob ";

    /// <summary>Every file the update reads: both documents, both signatures and the blob of each changed or added file.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Channel,
        ChannelSignature,
        Manifest,
        ManifestSignature,
        .. ChangedFiles(ReleaseInputs.V1, ReleaseInputs.V2).Select(file => BlobPrefix + file.Path),
    ];

    /// <summary>The feed-relative path of a named file of the 1.1.0 release.</summary>
    public static string Resolve(string name, string version = ReleaseInputs.V2) => name switch
    {
        Channel => FeedForger.ChannelPath(ReleaseInputs.App, ReleaseInputs.Channel),
        ChannelSignature => FeedForger.ChannelPath(ReleaseInputs.App, ReleaseInputs.Channel) + ".sig",
        Manifest => FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, version),
        ManifestSignature => FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, version) + ".sig",
        _ when name.StartsWith(BlobPrefix, StringComparison.Ordinal) =>
            FeedForger.BlobPath(ReleaseInputs.File(version, name[BlobPrefix.Length..]).Sha256),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown feed file"),
    };

    /// <summary>Files of <paramref name="to"/> whose content is not in <paramref name="from"/> at the same path.</summary>
    public static IEnumerable<ForgedFile> ChangedFiles(string from, string to) =>
        ReleaseInputs.Files(to).Where(file => !ReleaseInputs.Files(from).Any(old => old.Path == file.Path && old.Sha256 == file.Sha256));
}
