namespace SecureUpdate;

/// <summary>
/// Base of every failure SecureUpdate reports. Expected outcomes ("no update") are results,
/// not exceptions; an exception means nothing was changed that could not be undone.
/// </summary>
public abstract class SecureUpdateException : Exception
{
    private protected SecureUpdateException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Stage = stage;
    }

    /// <summary>Why it failed.</summary>
    public ErrorCode Code { get; }

    /// <summary>Where it failed.</summary>
    public UpdateStage Stage { get; }
}
