namespace SecureUpdate.Platform;

/// <summary>
/// A path that is not a regular file (a named pipe, a socket, a device, a folder, or a symlink where
/// none may be) was refused before a byte of it was read. An <see cref="IOException"/>, so callers
/// that treat an unreadable file as unusable keep doing so; callers that must say more catch it first.
/// </summary>
internal sealed class NotRegularFileException : IOException
{
    public NotRegularFileException(string path, string problem)
        : base($"'{path}' {problem}")
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The path refused.</summary>
    public string FilePath { get; }

    /// <summary>What it is, as the end of a sentence: "is a named pipe (FIFO), not a regular file".</summary>
    public string Problem { get; }
}
