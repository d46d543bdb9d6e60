namespace SecureUpdate.Errors;

/// <summary>The feed could not be read after retries, or the overall deadline passed.</summary>
public sealed class TransportException : SecureUpdateException
{
    internal TransportException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null, bool notFound = false)
        : base(code, stage, message, innerException)
    {
        IsNotFound = notFound;
    }

    /// <summary>True when the feed answered that the file does not exist (HTTP 404, or no such file in a folder feed).</summary>
    public bool IsNotFound { get; }
}
