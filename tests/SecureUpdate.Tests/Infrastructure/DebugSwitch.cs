using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>The two switches that permit the debug-shell fallback on a machine: the environment variable and the owner-only file in the target's state folder.</summary>
[UnsupportedOSPlatform("windows")]
public static class DebugSwitch
{
    public const string EnvironmentVariable = "SECURE_UPDATE_DEBUG";

    /// <summary>The environment with the switch on.</summary>
    public static IReadOnlyDictionary<string, string?> On => new Dictionary<string, string?> { [EnvironmentVariable] = "1" };

    /// <summary>The environment without the variable, whatever the test process has.</summary>
    public static IReadOnlyDictionary<string, string?> Unset => new Dictionary<string, string?> { [EnvironmentVariable] = null };

    /// <summary>The path of <c>TARGET/.secure-update/debug-allowed</c>.</summary>
    public static string FilePath(string target) => Path.Combine(target, ".secure-update", "debug-allowed");

    /// <summary>Creates <c>TARGET/.secure-update/debug-allowed</c> with <paramref name="mode"/> (owner-only, 0600, unless a test asks for another); returns its path.</summary>
    public static string Allow(string target, UnixFileMode mode = AllowlistFile.OwnerOnly)
    {
        var path = FilePath(target);
        File.WriteAllText(path, "maintenance window\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
