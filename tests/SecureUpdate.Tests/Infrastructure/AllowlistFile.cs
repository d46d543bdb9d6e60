using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Writes hash allowlists (<c>secure-update/allowlist/v1</c>) as an operator would: owner-only (0600),
/// or with the exact mode a test asks for; entries and whole documents can also be built as text to break them.
/// </summary>
[UnsupportedOSPlatform("windows")]
public static class AllowlistFile
{
    public const string Schema = "secure-update/allowlist/v1";

    /// <summary>rw------- : what an operator should use.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>An expiry no test run reaches.</summary>
    public static readonly DateTimeOffset FarFuture = new(2099, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An expiry already passed.</summary>
    public static readonly DateTimeOffset LongAgo = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes an allowlist with one entry for <paramref name="manifestSha256"/> at <paramref name="path"/>, mode 0600; returns the path.</summary>
    public static string Write(string path, string manifestSha256, DateTimeOffset expires, string note = "emergency release signed by the standby key")
    {
        Write(path, OwnerOnly, Entry(manifestSha256, expires, note));
        return path;
    }

    /// <summary>Writes an allowlist of <paramref name="entries"/> (each from <see cref="Entry"/>) to <paramref name="path"/> with <paramref name="mode"/>.</summary>
    public static void Write(string path, UnixFileMode mode, params string[] entries) => WriteText(path, Document(entries), mode);

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> and sets <paramref name="mode"/> exactly.</summary>
    public static void WriteText(string path, string text, UnixFileMode mode = OwnerOnly)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>One entry of an allowlist.</summary>
    public static string Entry(string manifestSha256, DateTimeOffset expires, string? note = null)
    {
        var buffer = new StringBuilder();
        buffer.Append("{\"manifestSha256\":").Append(JsonSerializer.Serialize(manifestSha256))
            .Append(",\"expires\":\"").Append(FeedForger.Time(expires)).Append('"');
        if (note is not null)
        {
            buffer.Append(",\"note\":").Append(JsonSerializer.Serialize(note));
        }

        return buffer.Append('}').ToString();
    }

    /// <summary>A whole allowlist document around <paramref name="entries"/> (each from <see cref="Entry"/>).</summary>
    public static string Document(IEnumerable<string> entries, string schema = Schema) =>
        "{\"schema\":" + JsonSerializer.Serialize(schema) + ",\"entries\":[" + string.Join(",", entries) + "]}";

    /// <summary>The SHA-256 (lowercase hex) of the manifest of <paramref name="version"/> as it lies in a feed folder.</summary>
    public static string ManifestSha256(string feed, string version) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(
            Path.Combine(feed, FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, version)))));
}
