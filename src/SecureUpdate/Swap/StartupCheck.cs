namespace SecureUpdate.Swap;

/// <summary>What <c>UpdateClient.RecordStartAsync</c> found for the running version.</summary>
public enum StartupCheck
{
    /// <summary>Nothing waits for confirmation: the running version is committed.</summary>
    Committed,

    /// <summary>This version must still call <c>UpdateClient.ConfirmHealthyAsync</c>.</summary>
    AwaitingConfirmation,

    /// <summary>The version ran out of starts or time without confirming and was reverted: exit and let the previous version start.</summary>
    Reverted,
}
