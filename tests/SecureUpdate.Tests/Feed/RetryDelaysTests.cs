using SecureUpdate.Feed;

namespace SecureUpdate.Tests.Feed;

public sealed class RetryDelaysTests
{
    private const int Samples = 500;
    private static readonly TimeSpan s_base = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_cap = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, 100, 200)]
    [InlineData(2, 200, 400)]
    [InlineData(3, 400, 800)]
    [InlineData(4, 800, 1600)]
    [InlineData(6, 3200, 6400)]
    [InlineData(7, 5000, 10000)]
    [InlineData(8, 5000, 10000)]
    public void Backoff_Attempt_StaysWithinHalfAndFullOfCappedExponential(int attempt, double lowMs, double highMs)
    {
        for (int i = 0; i < Samples; i++)
        {
            double delay = RetryDelays.Backoff(s_base, attempt).TotalMilliseconds;

            delay.Should().BeInRange(lowMs, highMs);
        }
    }

    [Fact]
    public void Backoff_ConsecutiveAttemptsBeforeCap_NeverShrink()
    {
        // Attempt n+1's range starts where attempt n's ends, so every later delay is at least every earlier one.
        for (int attempt = 1; attempt < 6; attempt++)
        {
            double longestEarlier = Enumerable.Range(0, Samples).Max(_ => RetryDelays.Backoff(s_base, attempt).TotalMilliseconds);
            double shortestLater = Enumerable.Range(0, Samples).Min(_ => RetryDelays.Backoff(s_base, attempt + 1).TotalMilliseconds);

            shortestLater.Should().BeGreaterThanOrEqualTo(longestEarlier);
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(100)]
    [InlineData(int.MaxValue)]
    public void Backoff_ManyAttempts_IsCappedAtTenSeconds(int attempt)
    {
        for (int i = 0; i < Samples; i++)
        {
            TimeSpan delay = RetryDelays.Backoff(s_base, attempt);

            delay.Should().BeGreaterThanOrEqualTo(s_cap / 2).And.BeLessThanOrEqualTo(s_cap);
        }
    }

    [Fact]
    public void Backoff_LargeBaseDelay_IsCappedAtTenSeconds()
    {
        TimeSpan delay = RetryDelays.Backoff(TimeSpan.FromMinutes(5), 1);

        delay.Should().BeGreaterThanOrEqualTo(s_cap / 2).And.BeLessThanOrEqualTo(s_cap);
    }

    [Fact]
    public void Backoff_SameAttempt_IsJittered()
    {
        int distinct = Enumerable.Range(0, Samples).Select(_ => RetryDelays.Backoff(s_base, 3)).Distinct().Count();

        distinct.Should().BeGreaterThan(50);
    }
}
