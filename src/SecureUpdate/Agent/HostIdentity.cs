namespace SecureUpdate.Agent;

/// <summary>A stable id for this host: systemd's machine id when there is one, else the machine name.</summary>
internal static class HostIdentity
{
    public static string Default()
    {
        try
        {
            var id = File.Exists("/etc/machine-id") ? File.ReadAllText("/etc/machine-id").Trim() : "";
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
