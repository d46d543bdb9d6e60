using System.Runtime.Versioning;
using System.Security.Cryptography;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>Writes hash-allowlist files (<c>secure-update/allowlist/v1</c>) the way an operator would: owner-only, 0600.</summary>
[SupportedOSPlatform("linux")]
public static class AllowlistFile
{
    public const string Schema = "secure-update/allowlist/v1";

    /// <summary>An expiry no test run reaches.</summary>
    public static readonly DateTimeOffset FarFuture = new(2099, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An expiry already passed.</summary>
    public static readonly DateTimeOffset LongAgo = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes an allowlist with one entry for <paramref name="manifestSha256"/> at <paramref name="path"/>, mode 0600; returns the path.</summary>
    public static string Write(string path, string manifestSha256, DateTimeOffset expires, string note = "emergency release signed by the standby key")
    {
        File.WriteAllText(path, FeedForger.ToJson(new
        {
            schema = Schema,
            entries = new[] { new { manifestSha256, expires = FeedForger.Time(expires), note } },
        }));
        File.SetUnixFileMode(path, OwnerOnly);
        return path;
    }

    /// <summary>The SHA-256 (lowercase hex) of the manifest of <paramref name="version"/> as it lies in a feed folder.</summary>
    public static string ManifestSha256(string feed, string version) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(
            Path.Combine(feed, FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, version)))));
}
