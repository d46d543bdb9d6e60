namespace SecureUpdate.Documents;

/// <summary>A verified, validated release manifest: one version bound to all of its files.</summary>
internal sealed class ReleaseManifest
{
    public ReleaseManifest(string app, string channel, SemanticVersion version, DateTimeOffset published, DateTimeOffset expires, IReadOnlyList<ManifestFile> files)
    {
        App = app;
        Channel = channel;
        Version = version;
        Published = published;
        Expires = expires;
        Files = files;
        TotalSize = files.Sum(f => f.Size);
    }

    public string App { get; }

    public string Channel { get; }

    public SemanticVersion Version { get; }

    public DateTimeOffset Published { get; }

    public DateTimeOffset Expires { get; }

    public IReadOnlyList<ManifestFile> Files { get; }

    public long TotalSize { get; }
}
