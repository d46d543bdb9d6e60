using SecureUpdate.Feed;

namespace SecureUpdate.Tests.Agent;

/// <summary>Host ids on either side of a staged rollout, found with the library's own bucket function.</summary>
internal static class RolloutHosts
{
    /// <summary>The first <c>host-N</c> that takes <paramref name="version"/> at <paramref name="percent"/>.</summary>
    public static string Inside(string app, string version, int percent) => Find(app, version, percent, inside: true);

    /// <summary>The first <c>host-N</c> that does not take <paramref name="version"/> at <paramref name="percent"/>.</summary>
    public static string Outside(string app, string version, int percent) => Find(app, version, percent, inside: false);

    /// <summary>Deterministic host ids that look like systemd machine ids (32 lowercase hex characters).</summary>
    public static IReadOnlyList<string> MachineIds(int count, int seed)
    {
#pragma warning disable CA5394 // Reproducible test data, not a secret.
        var random = new Random(seed);
        var ids = new string[count];
        var bytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            ids[i] = Convert.ToHexStringLower(bytes);
        }
#pragma warning restore CA5394

        return ids;
    }

    private static string Find(string app, string version, int percent, bool inside)
    {
        for (var i = 0; i < 100_000; i++)
        {
            var host = "host-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (RolloutBucket.Includes(host, app, version, percent) == inside)
            {
                return host;
            }
        }

        throw new InvalidOperationException($"No host is {(inside ? "inside" : "outside")} a {percent} % rollout of {app} {version}.");
    }
}
