using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>
/// The configured fallback mode (docs/architecture.md, "Fallback"), chosen once when the client is
/// built and implemented by the fallback layer. Operations ask it two things: whether a signature
/// failure may be waived (hash-allowlist), and what a verification failure leads to.
/// </summary>
internal interface IFallbackPolicy
{
    /// <summary>
    /// The waiver for one operation on a target, or null when the mode waives nothing. Reads and
    /// checks the allowlist, so a bad one is a usage error found before anything is created or fetched.
    /// </summary>
    ISignatureWaiver? CreateWaiver(TargetLayout layout);

    /// <summary>What a verification failure on the target leads to: debug-shell when asked for and permitted, otherwise hard-reset.</summary>
    FailureAction OnVerificationFailure(TargetLayout layout);
}
