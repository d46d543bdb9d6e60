namespace SecureUpdate.Agent;

/// <summary>When the agent checks next: the interval (not before the first check) plus a uniform random share of the jitter window.</summary>
internal sealed class CheckSchedule
{
    private readonly TimeSpan _interval;
    private readonly TimeSpan _jitter;
    private readonly Random _random;

    public CheckSchedule(TimeSpan interval, TimeSpan jitter, Random random)
    {
        _interval = interval;
        _jitter = jitter;
        _random = random;
    }

    /// <summary>The delay before the next check.</summary>
    public TimeSpan NextDelay(bool first) =>
        (first ? TimeSpan.Zero : _interval) + TimeSpan.FromTicks((long)(_random.NextDouble() * _jitter.Ticks));
}
