namespace SecureUpdate.Configuration;

/// <summary>The wire names of <see cref="FallbackMode"/> values, as in <c>--fallback</c> and <c>events.log</c>.</summary>
public static class FallbackModeNames
{
    /// <summary><c>hard-reset</c>, <c>debug-shell</c>, <c>hash-allowlist</c>, or <c>none</c> for no fallback.</summary>
    public static string ToName(FallbackMode? mode) => mode switch
    {
        FallbackMode.HardReset => "hard-reset",
        FallbackMode.DebugShell => "debug-shell",
        FallbackMode.HashAllowlist => "hash-allowlist",
        _ => "none",
    };

    /// <summary>Parses a <c>--fallback</c> value.</summary>
    public static bool TryParse(string? text, out FallbackMode mode)
    {
        (var ok, mode) = text switch
        {
            "hard-reset" => (true, FallbackMode.HardReset),
            "debug-shell" => (true, FallbackMode.DebugShell),
            "hash-allowlist" => (true, FallbackMode.HashAllowlist),
            _ => (false, FallbackMode.HardReset),
        };
        return ok;
    }
}
