using SecureUpdate.Feed;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// The staged-rollout bucket: stable per (host, app, version), in range, fresh per version, and
/// fair, so that a percentage takes about that share of a fleet and raising it only adds hosts.
/// </summary>
public sealed class RolloutBucketTests
{
    private const string App = "demo";
    private const string Version = "1.1.0";

    [Fact]
    public void Of_SameInputs_IsStableAcrossCalls()
    {
        foreach (var host in RolloutHosts.MachineIds(200, seed: 1))
        {
            var first = RolloutBucket.Of(host, App, Version);

            RolloutBucket.Of(host, App, Version).Should().Be(first);
            RolloutBucket.Of(new string(host.ToCharArray()), new string(App.ToCharArray()), new string(Version.ToCharArray())).Should().Be(first, "the bucket depends on the text, not the string instance");
        }
    }

    [Fact]
    public void Of_AnyHost_IsWithinZeroTo9999AndCoversTheRange()
    {
        var buckets = RolloutHosts.MachineIds(10_000, seed: 2).Select(host => RolloutBucket.Of(host, App, Version)).ToArray();

        buckets.Should().OnlyContain(bucket => bucket >= 0 && bucket <= 9999);
        buckets.Min().Should().BeLessThan(50, "10,000 uniform draws reach the bottom of the range");
        buckets.Max().Should().BeGreaterThan(9949, "10,000 uniform draws reach the top of the range");
        buckets.Distinct().Count().Should().BeGreaterThan(5000, "about 63 % of 10,000 buckets are hit by 10,000 uniform draws");
    }

    [Fact]
    public void Of_DifferentHostsOrVersionsOrApps_DrawIndependentBuckets()
    {
        var hosts = RolloutHosts.MachineIds(1000, seed: 3);

        var sameAcrossHosts = hosts.Zip(hosts.Skip(1)).Count(pair => RolloutBucket.Of(pair.First, App, Version) == RolloutBucket.Of(pair.Second, App, Version));
        var sameAcrossVersions = hosts.Count(host => RolloutBucket.Of(host, App, "1.1.0") == RolloutBucket.Of(host, App, "1.2.0"));
        var sameAcrossApps = hosts.Count(host => RolloutBucket.Of(host, "demo", Version) == RolloutBucket.Of(host, "other", Version));

        sameAcrossHosts.Should().BeLessThan(5, "two hosts share a bucket with probability 1/10,000");
        sameAcrossVersions.Should().BeLessThan(5, "each version draws a fresh bucket for the host");
        sameAcrossApps.Should().BeLessThan(5, "each app draws its own bucket for the host");

        // A fresh sample per version: the hosts in the first 30 % of 1.1.0 are not the first 30 % of 1.2.0 again.
        var early = hosts.Where(host => RolloutBucket.Includes(host, App, "1.1.0", 30)).ToHashSet(StringComparer.Ordinal);
        var earlyAgain = hosts.Count(host => early.Contains(host) && RolloutBucket.Includes(host, App, "1.2.0", 30));
        ((double)earlyAgain / early.Count).Should().BeInRange(0.20, 0.40, "independent samples overlap in about 30 % of the first one, not all of it");
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(5, 10)]
    [InlineData(10, 25)]
    [InlineData(25, 50)]
    [InlineData(50, 51)]
    [InlineData(50, 90)]
    [InlineData(90, 99)]
    [InlineData(99, 100)]
    public void Includes_RaisingThePercentage_OnlyAddsHosts(int lower, int higher)
    {
        var hosts = RolloutHosts.MachineIds(1000, seed: 4);

        var atLower = hosts.Where(host => RolloutBucket.Includes(host, App, Version, lower)).ToHashSet(StringComparer.Ordinal);
        var atHigher = hosts.Where(host => RolloutBucket.Includes(host, App, Version, higher)).ToHashSet(StringComparer.Ordinal);

        atLower.Should().BeSubsetOf(atHigher, "a host that took the version at {0} % keeps it at {1} %", lower, higher);
        atHigher.Count.Should().BeGreaterThanOrEqualTo(atLower.Count);
    }

    [Fact]
    public void Includes_EveryPercentageStep_IsMonotonicForEachHost()
    {
        foreach (var host in RolloutHosts.MachineIds(1000, seed: 5))
        {
            var firstIncluded = Enumerable.Range(0, 101).First(percent => RolloutBucket.Includes(host, App, Version, percent));

            Enumerable.Range(0, 101).Select(percent => RolloutBucket.Includes(host, App, Version, percent))
                .Should().Equal(Enumerable.Range(0, 101).Select(percent => percent >= firstIncluded), "host {0} is out below one percentage and in from it on", host);
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(90)]
    public void Includes_OverTenThousandHosts_TakesThePercentageWithinTwoPoints(int percent)
    {
        var hosts = RolloutHosts.MachineIds(10_000, seed: 6);

        var share = 100.0 * hosts.Count(host => RolloutBucket.Includes(host, App, Version, percent)) / hosts.Count;

        share.Should().BeApproximately(percent, 2.0, "a {0} % rollout takes about {0} % of a large fleet", percent);
    }

    [Fact]
    public void Includes_ZeroPercent_TakesNoHostAndHundredPercentTakesAll()
    {
        var hosts = RolloutHosts.MachineIds(10_000, seed: 7);

        hosts.Should().NotContain(host => RolloutBucket.Includes(host, App, Version, 0), "a 0 % rollout reaches nobody");
        hosts.Should().OnlyContain(host => RolloutBucket.Includes(host, App, Version, 100), "a 100 % rollout reaches everybody");
    }

    [Fact]
    public void Includes_HostInBucketZero_IsOutAtZeroAndInAtOnePercent()
    {
        // The edges of the comparison "bucket < percent × 100": bucket 0 is the first in, bucket 9999 the last.
        var hosts = RolloutHosts.MachineIds(200_000, seed: 8);
        var bottom = hosts.First(host => RolloutBucket.Of(host, App, Version) == 0);
        var top = hosts.First(host => RolloutBucket.Of(host, App, Version) == 9999);
        var edge = hosts.First(host => RolloutBucket.Of(host, App, Version) == 100);

        RolloutBucket.Includes(bottom, App, Version, 0).Should().BeFalse();
        RolloutBucket.Includes(bottom, App, Version, 1).Should().BeTrue();
        RolloutBucket.Includes(edge, App, Version, 1).Should().BeFalse("bucket 100 is the first outside 1 %");
        RolloutBucket.Includes(edge, App, Version, 2).Should().BeTrue();
        RolloutBucket.Includes(top, App, Version, 99).Should().BeFalse();
        RolloutBucket.Includes(top, App, Version, 100).Should().BeTrue();
    }
}
