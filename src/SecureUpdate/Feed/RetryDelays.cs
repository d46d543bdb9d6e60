namespace SecureUpdate.Feed;

/// <summary>Exponential backoff with full jitter, so a fleet that failed together does not retry together.</summary>
internal static class RetryDelays
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(10);

    /// <summary>Delay before retry <paramref name="attempt"/> (1-based): uniform in [base·2^(n-1)/2, base·2^(n-1)], capped.</summary>
    public static TimeSpan Backoff(TimeSpan baseDelay, int attempt)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, s_maxDelay.TotalMilliseconds);
        // Jitter needs neither cryptographic randomness nor a seed, and parallel downloads retry
        // concurrently: the thread-safe shared source is the one meant here.
#pragma warning disable CA5394, RS0030
        var jittered = (capped / 2) + (Random.Shared.NextDouble() * capped / 2);
#pragma warning restore CA5394, RS0030
        return TimeSpan.FromMilliseconds(jittered);
    }
}
