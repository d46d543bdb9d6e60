namespace SecureUpdate.Errors;

/// <summary>A signature, hash or policy check refused the input: a security event, never retried.</summary>
public sealed class VerificationException : SecureUpdateException
{
    internal VerificationException(ErrorCode code, UpdateStage stage, string message, Exception? innerException = null)
        : base(code, stage, message, innerException)
    {
    }

    /// <summary>Set when the debug-shell fallback left the target as it was (nothing switched).</summary>
    internal bool LeftForDebugShell { get; init; }
}
