namespace SecureUpdate.Errors;

/// <summary>The target has no installed version that verifies.</summary>
public sealed class NotInstalledException : SecureUpdateException
{
    internal NotInstalledException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(code, stage, message, innerException)
    {
    }
}
