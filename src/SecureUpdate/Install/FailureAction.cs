using SecureUpdate.Configuration;

namespace SecureUpdate.Install;

/// <summary>What a verification failure leads to under the configured fallback.</summary>
/// <param name="Mode"><see cref="FallbackMode.DebugShell"/> when asked for and permitted (nothing is switched); otherwise <see cref="FallbackMode.HardReset"/>.</param>
/// <param name="Note">A sentence added to the event and message, or empty.</param>
internal sealed record FailureAction(FallbackMode Mode, string Note)
{
    /// <summary>Hard reset, with nothing to add.</summary>
    public static FailureAction HardReset { get; } = new(FallbackMode.HardReset, "");
}
