using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;

namespace SecureUpdate.Fallback;

/// <summary>
/// Whether debug-shell may open: only when enabled on this machine by both an environment switch
/// and a local file that only its owner can change. Nothing read from a feed takes part.
/// </summary>
internal sealed class DebugShellGate
{
    /// <summary>Must be exactly <c>1</c>.</summary>
    public const string EnvironmentVariable = "SECURE_UPDATE_DEBUG";

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly Func<string, string?> _environment;

    public DebugShellGate(IFileSystem fileSystem, DiskOperations disk, Func<string, string?> environment)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _environment = environment;
    }

    /// <summary>Null when permitted for the target; otherwise why not, as a phrase.</summary>
    public string? WhyNotPermitted(TargetLayout layout)
    {
        if (!string.Equals(_environment(EnvironmentVariable), "1", StringComparison.Ordinal))
        {
            return $"{EnvironmentVariable} is not 1";
        }

        if (_fileSystem.FileInfo.New(layout.DebugAllowed).LinkTarget is not null)
        {
            // The switch itself must be the owner's file, not a name for some other file.
            return $"the debug switch '{layout.DebugAllowed}' is a symbolic link";
        }

        try
        {
            _disk.CheckOwnerOnlyFile(layout.DebugAllowed, "debug switch");
            return null;
        }
        catch (ConfigurationException ex)
        {
            return ex.Message.TrimEnd('.');
        }
    }
}
