namespace SecureUpdate.Errors;

/// <summary>Installing failed; the target was left as it was.</summary>
public sealed class InstallException : SecureUpdateException
{
    internal InstallException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(code, stage, message, innerException)
    {
    }
}
