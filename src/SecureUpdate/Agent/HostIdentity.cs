using System.IO.Abstractions;

namespace SecureUpdate.Agent;

/// <summary>A stable id for this host: systemd's machine id when there is one, else the machine name.</summary>
internal static class HostIdentity
{
    public static string Default(IFileSystem fileSystem)
    {
        try
        {
            var id = fileSystem.File.Exists("/etc/machine-id") ? fileSystem.File.ReadAllText("/etc/machine-id").Trim() : "";
            if (id.Length is > 0 and <= 128)
            {
                return id;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Fall back to the name below.
        }

        return Environment.MachineName;
    }
}
