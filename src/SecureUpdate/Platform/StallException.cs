namespace SecureUpdate.Platform;

/// <summary>A read made no progress within the stall timeout (threat: slow retrieval). Transient: retried.</summary>
internal sealed class StallException : IOException
{
    public StallException(string message)
        : base(message)
    {
    }
}
