namespace SecureUpdate.Swap;

/// <summary>What the companion did.</summary>
/// <param name="Switched">Whether it switched to a staged version (false: nothing was staged).</param>
/// <param name="App">The target's app.</param>
/// <param name="Channel">The target's channel.</param>
/// <param name="Version">The version now current, or null.</param>
/// <param name="Previous">The version current before, or null.</param>
internal sealed record SwapOutcome(bool Switched, string App, string Channel, string? Version, string? Previous);
