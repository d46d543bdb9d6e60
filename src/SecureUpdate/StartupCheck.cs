namespace SecureUpdate;

/// <summary>What <see cref="UpdateClient.RecordStartAsync"/> found for the running version.</summary>
public enum StartupCheck
{
    /// <summary>Nothing waits for confirmation: the running version is committed.</summary>
    Committed,

    /// <summary>This version must still call <see cref="UpdateClient.ConfirmHealthyAsync"/>.</summary>
    AwaitingConfirmation,

    /// <summary>The version ran out of starts or time without confirming and was reverted: exit and let the previous version start.</summary>
    Reverted,
}
