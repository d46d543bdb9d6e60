namespace SecureUpdate.Errors;

/// <summary>
/// Base of every failure SecureUpdate reports. Expected outcomes ("no update") are results,
/// not exceptions; an exception means nothing was changed that could not be undone.
/// </summary>
/// <remarks>
/// The message is a sentence for people and names no command-line flag; the typed properties let
/// a caller (the <c>secure-update</c> command, an agent) decide what to add or do.
/// </remarks>
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

    /// <summary>The version concerned, when there is one.</summary>
    public string? Version { get; internal init; }

    /// <summary>The file or folder concerned, when there is one.</summary>
    public string? Path { get; internal init; }
}
