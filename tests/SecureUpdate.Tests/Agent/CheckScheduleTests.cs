using SecureUpdate.Agent;

namespace SecureUpdate.Tests.Agent;

/// <summary>The agent's check schedule: the first check after jitter only, later ones after the interval plus jitter, drawn uniformly.</summary>
public sealed class CheckScheduleTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_jitter = TimeSpan.FromMinutes(10);

    [Fact]
    public void NextDelay_First_IsWithinTheJitterWindowOnly()
    {
        var schedule = new CheckSchedule(s_interval, s_jitter, new Random(1));

        for (var i = 0; i < 1000; i++)
        {
            schedule.NextDelay(first: true).Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThan(s_jitter, "the first check waits for jitter only, never the interval");
        }
    }

    [Fact]
    public void NextDelay_Later_IsTheIntervalPlusJitter()
    {
        var schedule = new CheckSchedule(s_interval, s_jitter, new Random(2));

        for (var i = 0; i < 1000; i++)
        {
            schedule.NextDelay(first: false).Should().BeGreaterThanOrEqualTo(s_interval).And.BeLessThan(s_interval + s_jitter);
        }
    }

    [Fact]
    public void NextDelay_ThousandDraws_AreUniformOverTheWindow()
    {
        var schedule = new CheckSchedule(s_interval, s_jitter, new Random(3));

        var shares = Enumerable.Range(0, 1000).Select(_ => schedule.NextDelay(first: true) / s_jitter).ToArray();

        // Uniform on [0, 1): mean 1/2 with a standard error of about 0.009; the tolerance is over 5 of those.
        shares.Average().Should().BeApproximately(0.5, 0.05);
        shares.Distinct().Count().Should().BeGreaterThan(990, "the delays are drawn, not repeated");
        shares.Min().Should().BeLessThan(0.02);
        shares.Max().Should().BeGreaterThan(0.98);
        for (var tenth = 0; tenth < 10; tenth++)
        {
            shares.Count(share => share >= tenth / 10.0 && share < (tenth + 1) / 10.0).Should().BeInRange(50, 150, "each tenth of the window gets about 100 of 1000 draws");
        }
    }

    [Fact]
    public void NextDelay_LaterDraws_HaveMeanIntervalPlusHalfTheJitter()
    {
        var schedule = new CheckSchedule(s_interval, s_jitter, new Random(4));

        var extra = Enumerable.Range(0, 1000).Select(_ => (schedule.NextDelay(first: false) - s_interval) / s_jitter).ToArray();

        extra.Average().Should().BeApproximately(0.5, 0.05);
        extra.Distinct().Count().Should().BeGreaterThan(990);
    }

    [Fact]
    public void NextDelay_SameSeed_GivesTheSameSequence()
    {
        var first = new CheckSchedule(s_interval, s_jitter, new Random(5));
        var second = new CheckSchedule(s_interval, s_jitter, new Random(5));

        Enumerable.Range(0, 20).Select(i => first.NextDelay(i == 0))
            .Should().Equal(Enumerable.Range(0, 20).Select(i => second.NextDelay(i == 0)));
    }

    [Fact]
    public void NextDelay_NoJitter_IsExactlyZeroThenTheInterval()
    {
        var schedule = new CheckSchedule(s_interval, TimeSpan.Zero, new Random(6));

        schedule.NextDelay(first: true).Should().Be(TimeSpan.Zero);
        schedule.NextDelay(first: false).Should().Be(s_interval);
    }
}
