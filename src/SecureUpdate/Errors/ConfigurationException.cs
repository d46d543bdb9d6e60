namespace SecureUpdate.Errors;

/// <summary>Arguments, keys, trust, state or the target are not usable as given.</summary>
public sealed class ConfigurationException : SecureUpdateException
{
    internal ConfigurationException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(code, stage, message, innerException)
    {
    }

    /// <summary>
    /// The request or option property at fault, when one is (for example <c>App</c>, <c>Trust</c>,
    /// <c>AllowlistPath</c>, <c>AllowInsecureHttp</c>, <c>KeyFiles</c>); a command line maps it to its own flag.
    /// </summary>
    public string? Setting { get; internal init; }
}
