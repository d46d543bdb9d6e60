namespace SecureUpdate;

/// <summary>Arguments, keys, trust, state or the target are not usable as given.</summary>
public sealed class ConfigurationException : SecureUpdateException
{
    internal ConfigurationException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(code, stage, message, innerException)
    {
    }
}
