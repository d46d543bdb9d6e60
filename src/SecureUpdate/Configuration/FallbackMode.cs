namespace SecureUpdate.Configuration;

/// <summary>What happens when verification fails (docs/architecture.md, "Fallback").</summary>
public enum FallbackMode
{
    /// <summary>Discard what is staged; keep, or go back to, the newest installed version that still verifies (the default).</summary>
    HardReset,

    /// <summary>A restricted maintenance prompt, when enabled locally on the machine; otherwise hard-reset.</summary>
    DebugShell,

    /// <summary>Accept a manifest listed by digest in a local, owner-only allowlist although its signatures fail.</summary>
    HashAllowlist,
}
