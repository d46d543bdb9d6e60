using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// An adversarial publisher written from docs/formats.md with NSec alone (none of the library's code):
/// it writes and signs any manifest or channel pointer text, honest or malicious, with any keys
/// (the same key twice included), and lays the files out as the feed layout says.
/// </summary>
public sealed class FeedForger
{
    /// <summary>The document type of a manifest in the domain-separation prefix.</summary>
    public const string ManifestType = "manifest";

    /// <summary>The document type of a channel pointer in the domain-separation prefix.</summary>
    public const string ChannelType = "channel";

    /// <summary>The document type of a trust file in the domain-separation prefix.</summary>
    public const string TrustType = "trust";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public FeedForger(string feedRoot)
    {
        FeedRoot = feedRoot;
        Directory.CreateDirectory(feedRoot);
    }

    public string FeedRoot { get; }

    /// <summary>Feed-relative path of a channel pointer.</summary>
    public static string ChannelPath(string app, string channel) => $"{app}/{channel}/channel.json";

    /// <summary>Feed-relative path of a release manifest.</summary>
    public static string ManifestPath(string app, string channel, string version) => $"{app}/{channel}/manifests/{version}.json";

    /// <summary>Feed-relative path of a payload blob.</summary>
    public static string BlobPath(string sha256) => $"blobs/sha256/{sha256}";

    /// <summary>RFC 3339 UTC, whole seconds, as the formats use.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Serialises an object (usually anonymous) the way the formats are written.</summary>
    public static string ToJson(object value) => JsonSerializer.Serialize(value, s_json) + "\n";

    /// <summary>
    /// The Ed25519 message: <c>ASCII("secure-update/v1 " + TYPE + "\n") || SHA-256(document)</c>.
    /// </summary>
    public static byte[] SigningMessage(string type, ReadOnlySpan<byte> document)
    {
        var prefix = Encoding.ASCII.GetBytes($"secure-update/v1 {type}\n");
        var message = new byte[prefix.Length + 32];
        prefix.CopyTo(message, 0);
        SHA256.HashData(document, message.AsSpan(prefix.Length));
        return message;
    }

    /// <summary>A detached signature envelope over <paramref name="document"/>, one entry per key given (repeats included).</summary>
    public static string SignatureEnvelope(string type, ReadOnlySpan<byte> document, params ForgedKey[] keys)
    {
        var message = SigningMessage(type, document);
        var signatures = keys.Select(key => (key.KeyId, Convert.ToBase64String(key.Sign(message))));
        return Encoding.UTF8.GetString(SignatureFileJson.Build(Convert.ToHexStringLower(SHA256.HashData(document)), signatures));
    }

    /// <summary>
    /// Verifies a signature envelope independently: the envelope names the document's digest and
    /// at least one signature by <paramref name="publicKey"/> verifies under the <paramref name="type"/> prefix.
    /// </summary>
    public static bool VerifyEnvelope(string type, byte[] document, string envelopeText, byte[] publicKey)
    {
        using var envelope = JsonDocument.Parse(envelopeText);
        var root = envelope.RootElement;
        if (root.GetProperty("schema").GetString() != "secure-update/signatures/v1"
            || root.GetProperty("sha256").GetString() != Convert.ToHexStringLower(SHA256.HashData(document)))
        {
            return false;
        }

        var keyId = Convert.ToHexStringLower(SHA256.HashData(publicKey));
        var message = SigningMessage(type, document);
        return root.GetProperty("signatures").EnumerateArray()
            .Where(entry => entry.GetProperty("keyId").GetString() == keyId)
            .Any(entry => ForgedKey.Verify(publicKey, message, Convert.FromBase64String(entry.GetProperty("signature").GetString()!)));
    }

    /// <summary>Writes a trust file pinning <paramref name="keys"/> with <paramref name="threshold"/>.</summary>
    public static void WriteTrustFile(string path, int threshold, params ForgedKey[] keys) =>
        File.WriteAllBytes(path, TrustFileJson.Build(threshold, keys.Select(key => (key.KeyId, key.PublicKeyBase64))));

    /// <summary>The full path of a feed-relative path.</summary>
    public string FullPath(string relativePath) => Path.Combine(FeedRoot, relativePath);

    /// <summary>Writes a payload under <c>blobs/sha256/HEX</c>.</summary>
    public void WriteBlob(ForgedFile file) => WriteFile(BlobPath(file.Sha256), file.Content);

    /// <summary>Writes any bytes at a feed-relative path.</summary>
    public void WriteFile(string relativePath, byte[] content)
    {
        var path = FullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    /// <summary>Writes a document exactly as given and its <c>.sig</c> signed by <paramref name="keys"/>.</summary>
    public byte[] WriteSigned(string relativePath, string documentText, string type, params ForgedKey[] keys)
    {
        var bytes = Encoding.UTF8.GetBytes(documentText);
        WriteFile(relativePath, bytes);
        WriteFile(relativePath + ".sig", Encoding.UTF8.GetBytes(SignatureEnvelope(type, bytes, keys)));
        return bytes;
    }

    /// <summary>Replaces the <c>.sig</c> of an existing document (whose bytes are kept as they are) with one signed by <paramref name="keys"/> under <paramref name="type"/>.</summary>
    public void Resign(string relativePath, string type, params ForgedKey[] keys)
    {
        var bytes = File.ReadAllBytes(FullPath(relativePath));
        WriteFile(relativePath + ".sig", Encoding.UTF8.GetBytes(SignatureEnvelope(type, bytes, keys)));
    }

    /// <summary>Manifest text as formats.md describes it.</summary>
    public static string ManifestJson(
        string app, string channel, string version, DateTimeOffset published, DateTimeOffset expires, IEnumerable<ForgedFile> files) =>
        ToJson(new
        {
            schema = "secure-update/manifest/v1",
            app,
            channel,
            version,
            published = Time(published),
            expires = Time(expires),
            files = files.Select(file => new { path = file.Path, size = file.Content.LongLength, sha256 = file.Sha256, executable = file.Executable }).ToArray(),
        });

    /// <summary>Channel pointer text as formats.md describes it.</summary>
    public static string ChannelJson(
        string app, string channel, string version, string manifestSha256, long manifestSize, DateTimeOffset published, DateTimeOffset expires) =>
        ToJson(new
        {
            schema = "secure-update/channel/v1",
            app,
            channel,
            version,
            manifestSha256,
            manifestSize,
            published = Time(published),
            expires = Time(expires),
        });

    /// <summary>Writes and signs a channel pointer that names the manifest bytes given.</summary>
    public byte[] WriteChannel(
        string pathApp, string pathChannel, string app, string channel, string version, byte[] manifestBytes,
        DateTimeOffset expires, params ForgedKey[] keys)
    {
        var text = ChannelJson(app, channel, version, Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), manifestBytes.LongLength, DateTimeOffset.UtcNow.AddMinutes(-5), expires);
        return WriteSigned(ChannelPath(pathApp, pathChannel), text, ChannelType, keys);
    }

    /// <summary>
    /// Publishes a whole release: blobs, manifest and channel pointer, signed by <paramref name="keys"/>.
    /// <paramref name="options"/> lets a test lie about anything (served path, app, channel, expiries).
    /// </summary>
    public ForgedRelease Publish(string app, string channel, string version, IReadOnlyList<ForgedFile> files, ForgedReleaseOptions? options, params ForgedKey[] keys)
    {
        options ??= new ForgedReleaseOptions();
        var now = DateTimeOffset.UtcNow;
        foreach (var file in files)
        {
            WriteBlob(file);
        }

        var manifestText = ManifestJson(
            options.ManifestApp ?? app, options.ManifestChannel ?? channel, version, now.AddMinutes(-5),
            options.ManifestExpires ?? now.AddDays(30), files);
        return PublishManifestText(app, channel, version, manifestText, options, keys);
    }

    /// <summary>
    /// Publishes any manifest text, exactly as given, at <c>APP/CHANNEL/manifests/VERSION.json</c>, signs it, and points
    /// the channel at it. Blobs are the caller's business (<see cref="WriteBlob"/>).
    /// </summary>
    public ForgedRelease PublishManifestText(string app, string channel, string version, string manifestText, ForgedReleaseOptions? options, params ForgedKey[] keys)
    {
        options ??= new ForgedReleaseOptions();
        var manifestPath = ManifestPath(app, channel, version);
        var manifestBytes = WriteSigned(manifestPath, manifestText, ManifestType, keys);

        var channelBytes = WriteChannel(
            app, channel, options.ChannelApp ?? app, options.ChannelChannel ?? channel, version, manifestBytes,
            options.ChannelExpires ?? DateTimeOffset.UtcNow.AddDays(7), keys);
        return new ForgedRelease(manifestPath, manifestBytes, Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), ChannelPath(app, channel), channelBytes);
    }

    /// <summary>The feed-relative path of trust root <paramref name="version"/>.</summary>
    public static string TrustRootPath(int version) => $"trust/{version}.json";

    /// <summary>
    /// A trust root document as formats.md describes it (<c>secure-update/root/v1</c>): every key the roles name, the
    /// root role, the release role and its verify-only keys.
    /// </summary>
    public static string RootJson(int version, DateTimeOffset expires, ForgedRole root, ForgedRole release, params ForgedKey[] verifyOnly)
    {
        var keys = root.Keys.Concat(release.Keys).Concat(verifyOnly).DistinctBy(k => k.KeyId).OrderBy(k => k.KeyId, StringComparer.Ordinal);
        var releaseRole = verifyOnly.Length == 0
            ? (object)new { threshold = release.Threshold, keyIds = release.Keys.Select(k => k.KeyId).ToArray() }
            : new { threshold = release.Threshold, keyIds = release.Keys.Select(k => k.KeyId).ToArray(), verifyOnlyKeyIds = verifyOnly.Select(k => k.KeyId).ToArray() };
        return ToJson(new
        {
            schema = "secure-update/root/v1",
            version,
            expires = Time(expires),
            keys = keys.Select(k => new { keyId = k.KeyId, publicKey = k.PublicKeyBase64 }).ToArray(),
            roles = new
            {
                root = new { threshold = root.Threshold, keyIds = root.Keys.Select(k => k.KeyId).ToArray() },
                release = releaseRole,
            },
        });
    }

    /// <summary>Writes <c>trust/N.json</c> exactly as given and its <c>.sig</c> signed by <paramref name="signers"/> (repeats included).</summary>
    public byte[] PublishRoot(int version, string documentText, params ForgedKey[] signers) =>
        WriteSigned(TrustRootPath(version), documentText, TrustType, signers);
}
