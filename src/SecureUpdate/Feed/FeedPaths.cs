namespace SecureUpdate.Feed;

/// <summary>Relative paths inside a feed (docs/formats.md, "Feed layout"). Inputs are already-validated identifiers, versions and hex.</summary>
internal static class FeedPaths
{
    public const string SignatureSuffix = ".sig";

    public static string Channel(string app, string channel) => $"{app}/{channel}/channel.json";

    public static string ManifestsFolder(string app, string channel) => $"{app}/{channel}/manifests";

    public static string Manifest(string app, string channel, string version) => $"{ManifestsFolder(app, channel)}/{version}.json";

    public static string Blob(string sha256Hex) => $"blobs/sha256/{sha256Hex}";

    /// <summary>The folder of the feed's trust chain.</summary>
    public const string TrustFolder = "trust";

    /// <summary>Trust root <paramref name="version"/> of the feed's chain.</summary>
    public static string TrustRoot(int version) => $"{TrustFolder}/{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}.json";
}
