using System.Runtime.Versioning;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>The two switches that permit the debug-shell fallback on a machine: the environment variable and the owner-only file in the target's state folder.</summary>
[SupportedOSPlatform("linux")]
public static class DebugSwitch
{
    public const string EnvironmentVariable = "SECURE_UPDATE_DEBUG";

    /// <summary>The environment with the switch on.</summary>
    public static IReadOnlyDictionary<string, string?> On => new Dictionary<string, string?> { [EnvironmentVariable] = "1" };

    /// <summary>The environment without the variable, whatever the test process has.</summary>
    public static IReadOnlyDictionary<string, string?> Unset => new Dictionary<string, string?> { [EnvironmentVariable] = null };

    /// <summary>The path of <c>TARGET/.secure-update/debug-allowed</c>.</summary>
    public static string FilePath(string target) => Path.Combine(target, ".secure-update", "debug-allowed");

    /// <summary>Creates <c>TARGET/.secure-update/debug-allowed</c>, owner-only (0600); returns its path.</summary>
    public static string Allow(string target)
    {
        var path = FilePath(target);
        File.WriteAllText(path, "maintenance window\n");
        File.SetUnixFileMode(path, AllowlistFile.OwnerOnly);
        return path;
    }
}
