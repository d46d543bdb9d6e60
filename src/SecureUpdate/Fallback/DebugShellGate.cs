using SecureUpdate.Install;
using SecureUpdate.IO;

namespace SecureUpdate.Fallback;

/// <summary>
/// Whether debug-shell may open: only when enabled on this machine by both an environment switch
/// and a local file that only its owner can change. Nothing read from a feed takes part.
/// </summary>
internal static class DebugShellGate
{
    /// <summary>Must be exactly <c>1</c>.</summary>
    public const string EnvironmentVariable = "SECURE_UPDATE_DEBUG";

    /// <summary>Null when permitted; otherwise why not, as a phrase.</summary>
    public static string? WhyNotPermitted(TargetPaths paths, Func<string, string?> environment)
    {
        if (!string.Equals(environment(EnvironmentVariable), "1", StringComparison.Ordinal))
        {
            return $"{EnvironmentVariable} is not 1";
        }

        if (new FileInfo(paths.DebugAllowed).LinkTarget is not null)
        {
            // The switch itself must be the owner's file, not a name for some other file.
            return $"the debug switch '{paths.DebugAllowed}' is a symbolic link";
        }

        try
        {
            DiskOperations.CheckOwnerOnlyFile(paths.DebugAllowed, "debug switch");
            return null;
        }
        catch (ConfigurationException ex)
        {
            return ex.Message.TrimEnd('.');
        }
    }
}
