namespace SecureUpdate.Platform;

/// <summary>
/// A held exclusive lock on a file (threat: two updaters at once). On Unix, .NET takes an advisory
/// <c>flock</c> for <see cref="FileShare.None"/>; the kernel releases it when the process dies, so a
/// crashed command never leaves a target locked.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    internal FileLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
