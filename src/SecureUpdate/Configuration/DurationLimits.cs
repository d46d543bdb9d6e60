using SecureUpdate.Errors;

namespace SecureUpdate.Configuration;

/// <summary>
/// The ranges of the library's durations, checked before anything runs so that an absurd value is a
/// <see cref="ConfigurationException"/> and never an exception from deep inside a timer.
/// </summary>
internal static class DurationLimits
{
    /// <summary>
    /// Longest duration a timer is armed with: <c>Task.Delay</c>,
    /// <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/> and timers take at most
    /// 2^32 − 2 milliseconds (about 49.7 days); 49 whole days stays below that.
    /// </summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromDays(49);

    /// <summary><see cref="MaxTimer"/> as the range attributes of <see cref="SecureUpdateOptions"/> write it.</summary>
    public const string MaxTimerText = "49.00:00:00";

    /// <summary>Longest duration that is only added to a clock reading (an expiry, a confirmation window): <see cref="DurationParser.MaxValue"/>.</summary>
    public static TimeSpan MaxClock => DurationParser.MaxValue;

    /// <summary>Refuses a duration that is not above zero or is above <paramref name="max"/>.</summary>
    /// <exception cref="ConfigurationException">Outside the range.</exception>
    public static void Check(TimeSpan value, TimeSpan max, string setting)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            throw Error.DurationOutOfRange(setting, value, max);
        }
    }

    /// <summary>Refuses options whose durations are outside their ranges (the same ranges as their attributes).</summary>
    /// <exception cref="ConfigurationException">A duration is outside its range.</exception>
    public static void Check(SecureUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options.Deadline, MaxTimer, nameof(SecureUpdateOptions.Deadline));
        Check(options.PerTryTimeout, TimeSpan.FromDays(1), nameof(SecureUpdateOptions.PerTryTimeout));
        Check(options.StallTimeout, TimeSpan.FromDays(1), nameof(SecureUpdateOptions.StallTimeout));
        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(10))
        {
            throw Error.DurationOutOfRange(nameof(SecureUpdateOptions.RetryBaseDelay), options.RetryBaseDelay, TimeSpan.FromMinutes(10), allowZero: true);
        }
    }
}
