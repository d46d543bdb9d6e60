using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SecureUpdate.Feed;

/// <summary>
/// Staged rollout: each host falls in a stable bucket from 0 to 9999, derived from its host id,
/// the app and the version. A host takes the version when its bucket is below the percentage
/// × 100, so raising the percentage only ever adds hosts, and each version draws a fresh sample.
/// </summary>
internal static class RolloutBucket
{
    /// <summary>The host's bucket for this version, 0–9999.</summary>
    public static int Of(string hostId, string app, string version)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"secure-update/rollout/v1\n{hostId}\n{app}\n{version}"));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % 10_000);
    }

    /// <summary>Whether the host takes the version at <paramref name="percent"/>.</summary>
    public static bool Includes(string hostId, string app, string version, int percent) =>
        percent >= 100 || Of(hostId, app, version) < percent * 100;
}
