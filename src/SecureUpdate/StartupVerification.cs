namespace SecureUpdate;

/// <summary>What <see cref="UpdateClient.VerifyOnStartupAsync"/> found and did; the app decides what to do next.</summary>
public sealed class StartupVerification
{
    internal StartupVerification(StartupVerificationOutcome outcome, string? version, string detail)
    {
        Outcome = outcome;
        Version = version;
        Detail = detail;
    }

    /// <summary>The outcome.</summary>
    public StartupVerificationOutcome Outcome { get; }

    /// <summary>The version now current (after a reset, the one switched back to), or null when none verifies.</summary>
    public string? Version { get; }

    /// <summary>A sentence for logs.</summary>
    public string Detail { get; }
}
