namespace SecureUpdate.Errors;

/// <summary>Another command holds the target's exclusive lock.</summary>
public sealed class TargetLockedException : SecureUpdateException
{
    internal TargetLockedException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(code, stage, message, innerException)
    {
    }
}
