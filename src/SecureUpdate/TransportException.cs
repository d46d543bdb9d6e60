namespace SecureUpdate;

/// <summary>The feed could not be read after retries, or the overall deadline passed.</summary>
public sealed class TransportException : SecureUpdateException
{
    internal TransportException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(code, stage, message, innerException)
    {
    }
}
