namespace SecureUpdate;

/// <summary>The result of a rollback.</summary>
public sealed class RollbackResult
{
    internal RollbackResult(string version, string from)
    {
        Version = version;
        From = from;
    }

    /// <summary>The version now current.</summary>
    public string Version { get; }

    /// <summary>The version rolled back from; it is not installed again automatically.</summary>
    public string From { get; }
}
