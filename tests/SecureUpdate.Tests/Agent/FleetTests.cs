using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Feed;
using SecureUpdate.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// Many agents, one feed: 200 <see cref="Agent.UpdateAgentService"/> instances in one process, each
/// in its own generic host with its own host id and target (1.0.0 installed), poll one loopback feed
/// that serves 1.1.0 rolled out to 30 %. Their first checks spread over the jitter window; exactly
/// the hosts the rollout bucket includes stage 1.1.0 and hand off (to a no-op companion), and the
/// others never fetch a manifest or a blob. Raised to 60 %, the staged set only grows.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(FleetOfAgents.Name)]
public sealed class FleetTests : IAsyncLifetime, IDisposable
{
    private const int FleetSize = 200;
    private const string V1 = "1.0.0";
    private const string V2 = "1.1.0";
    private const string PointerPath = "demo/stable/channel.json";
    private static readonly TimeSpan s_jitter = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan s_secondJitter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_bucket = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_settleTimeout = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan s_timerGranularity = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_heldBack = TimeSpan.FromMilliseconds(100);

    private readonly ITestOutputHelper _output;
    private readonly ReleaseWorkspace _workspace = new();
    private readonly List<FleetAgent> _agents = [];
    private FeedServer? _server;

    public FleetTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private FeedServer Server => _server!;

    private string TrustFile => Path.Combine(_workspace.Keys, "release.pub");

    public async Task InitializeAsync() => _server = await FeedServer.StartAsync(_workspace.Feed);

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_agents.Select(agent => agent.StopAsync()));
        await Server.DisposeAsync();
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Fleet_TwoHundredAgentsOnOneFeed_SpreadChecksAndStageExactlyTheRolledOutHosts()
    {
        var clock = Stopwatch.StartNew();
        await PrepareFleetAsync();
        _output.WriteLine($"[{clock.Elapsed.TotalSeconds:0.0} s] {FleetSize} targets ready");
        var expectedAt30 = _agents.Where(agent => RolloutBucket.Includes(agent.HostId, ReleaseWorkspace.App, V2, 30)).ToHashSet();

        // Phase 1: every agent starts at once and checks after its jitter.
        foreach (var agent in _agents)
        {
            agent.Build(Server.Url, TrustFile, s_jitter, () => Server.Elapsed);
        }

        var phase1 = Server.Elapsed;
        await Task.WhenAll(_agents.Select(agent => agent.StartAsync()));
        _output.WriteLine($"[{clock.Elapsed.TotalSeconds:0.0} s] {FleetSize} hosts started in {(Server.Elapsed - phase1).TotalMilliseconds:0} ms");
        await SettleAsync(_agents, expectedAt30, since: phase1);
        _output.WriteLine($"[{clock.Elapsed.TotalSeconds:0.0} s] the fleet has checked at 30 %");

        // (a) The checks spread over the jitter window instead of arriving together. The scheduler's part: each
        // agent draws its delay uniformly and does not check before it. The fleet's part: the requests the feed
        // sees span the window, and those on time (within 100 ms of their drawn time) crowd no 100 ms slot. A stall
        // of this crowded test process (200 agents on a few cores; a real fleet has one agent per machine) holds
        // some requests back and releases them together: those are counted and printed, not judged.
        var first = _agents.ToDictionary(agent => agent, agent => FirstPointerRequest(agent, phase1));
        var arrivals = first.Values.Select(at => at - phase1).ToArray();
        var schedules = _agents.ToDictionary(agent => agent, agent => agent.FirstSchedule());
        var drawn = schedules.Values.Select(schedule => schedule.Delay).ToArray();
        var lateness = _agents.ToDictionary(agent => agent, agent => first[agent] - (schedules[agent].DrawnAt + schedules[agent].Delay));
        var punctual = _agents.Where(agent => lateness[agent] <= s_heldBack).Select(agent => first[agent] - phase1).ToArray();
        PrintHistogram("delay each agent drew for its first check", drawn);
        PrintHistogram("first channel-pointer request per agent, since the fleet started", arrivals);
        _output.WriteLine($"requests after their drawn time: median {Median([.. lateness.Values]).TotalMilliseconds:0} ms, max {lateness.Values.Max().TotalMilliseconds:0} ms; {FleetSize - punctual.Length} held back more than {s_heldBack.TotalMilliseconds:0} ms by a stall");

        drawn.Should().OnlyContain(delay => delay >= TimeSpan.Zero && delay < s_jitter, "the first check waits for jitter only, never the interval");
        ShouldNotCrowdAnySlot(drawn, FleetSize);
        ShouldSpan(drawn, s_jitter);
        lateness.Values.Should().OnlyContain(late => late >= -s_timerGranularity, "no agent checks before its drawn time (timers tick in whole milliseconds)");
        ShouldSpan(arrivals, s_jitter);
        ShouldNotCrowdAnySlot(punctual, FleetSize);

        // (b) Exactly the hosts in the 30 % bucket staged 1.1.0 and handed off; current stays 1.0.0 (the companion is a no-op).
        var stagedAt30 = _agents.Where(agent => agent.HasStaged(V2)).ToHashSet();
        _output.WriteLine($"30 %: {stagedAt30.Count} of {FleetSize} agents staged {V2}; the bucket function includes {expectedAt30.Count}");
        ShouldHaveStagedExactly(stagedAt30, expectedAt30, percent: 30);

        // (c) The others only ever read the pointer (and its signatures): no manifest, no blob.
        ShouldOnlyHaveReadThePointer(_agents.Where(agent => !expectedAt30.Contains(agent)));
        ShouldHaveFetchedTheReleaseOnce(expectedAt30);

        // Phase 2: 60 %. The agents that did not stage start again (a restart, or their next check) and check.
        await RolloutReleases.SetRolloutAsync(_workspace, 60);
        var remaining = _agents.Where(agent => !stagedAt30.Contains(agent)).ToList();
        await Task.WhenAll(remaining.Select(agent => agent.StopAsync()));
        foreach (var agent in remaining)
        {
            agent.Build(Server.Url, TrustFile, s_secondJitter, () => Server.Elapsed);
        }

        var phase2 = Server.Elapsed;
        var expectedAt60 = _agents.Where(agent => RolloutBucket.Includes(agent.HostId, ReleaseWorkspace.App, V2, 60)).ToHashSet();
        await Task.WhenAll(remaining.Select(agent => agent.StartAsync()));
        await SettleAsync(remaining, expectedAt60, since: phase2);
        _output.WriteLine($"[{clock.Elapsed.TotalSeconds:0.0} s] the remaining {remaining.Count} agents have checked at 60 %");

        var stagedAt60 = _agents.Where(agent => agent.HasStaged(V2)).ToHashSet();
        _output.WriteLine($"60 %: {stagedAt60.Count} of {FleetSize} agents staged {V2}; the bucket function includes {expectedAt60.Count}");
        stagedAt30.Should().BeSubsetOf(stagedAt60, "raising the rollout never takes a version away from a host");
        ShouldHaveStagedExactly(stagedAt60, expectedAt60, percent: 60);
        ShouldOnlyHaveReadThePointer(_agents.Where(agent => !expectedAt60.Contains(agent)));
        ShouldHaveFetchedTheReleaseOnce(expectedAt60);
    }

    /// <summary>A release key and feed with 1.0.0 and 1.1.0 (30 %), and 200 targets with 1.0.0 installed, installed once and copied.</summary>
    private async Task PrepareFleetAsync()
    {
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo 1.0.0\n", executable: true);
        _workspace.WriteInput("README.txt", "Demo 1.0.0\n");
        _workspace.WriteInput("share/data.bin", new string('d', 32 * 1024));
        await RolloutReleases.PublishAsync(_workspace, V1, rollout: null);
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo 1.1.0\n", executable: true);
        _workspace.WriteInput("README.txt", "Demo 1.1.0\n");
        await RolloutReleases.PublishAsync(_workspace, V2, rollout: 30);

        var template = _workspace.Target;
        _agents.AddRange(Enumerable.Range(0, FleetSize).Select(i => new FleetAgent(i, Path.Combine(_workspace.Root, "fleet", i.ToString("D3", CultureInfo.InvariantCulture)))));
        Parallel.ForEach(_agents, new ParallelOptions { MaxDegreeOfParallelism = 8 }, agent =>
        {
            // Hard links, since nothing is written in place (state files are replaced by renames), except the lock
            // (flock is per file: a shared one would serialise the agents) and the appended event log, which
            // each target gets its own of.
            DirectoryCopy.CopyWithHardLinks(template, agent.Target);
            var state = Path.Combine(agent.Target, ".secure-update");
            File.Delete(Path.Combine(state, "lock"));
            foreach (var appended in new[] { "events.log", "events.head" }.Where(name => File.Exists(Path.Combine(state, name))))
            {
                File.Delete(Path.Combine(state, appended));
                File.Copy(Path.Combine(template, ".secure-update", appended), Path.Combine(state, appended));
                File.SetUnixFileMode(Path.Combine(state, appended), File.GetUnixFileMode(Path.Combine(template, ".secure-update", appended)));
            }
        });
    }

    /// <summary>Waits until every agent in <paramref name="agents"/> has checked since <paramref name="since"/> and every one expected to stage has finished; then a moment for stray requests.</summary>
    private async Task SettleAsync(IReadOnlyList<FleetAgent> agents, HashSet<FleetAgent> expected, TimeSpan since)
    {
        var deadline = DateTime.UtcNow + s_settleTimeout;
        while (DateTime.UtcNow < deadline && !Settled())
        {
            await Task.Delay(100);
        }

        await Task.Delay(500);
        var unchecked_ = agents.Where(agent => !CheckedSince(agent, since)).Select(agent => agent.HostId).ToArray();
        unchecked_.Should().BeEmpty("every agent checks within its jitter window");
        var unfinished = agents.Where(agent => expected.Contains(agent) && agent.Service!.ExecuteTask is not { IsCompleted: true })
            .Select(agent => $"{agent.HostId}: {agent.Problems()}").ToArray();
        unfinished.Should().BeEmpty("every agent in the rollout stages the update and hands off (stopping its host)");

        bool Settled()
        {
            var checkedAgents = Server.Requests.Where(r => r.At >= since && r.Path == PointerPath).Select(r => AgentOf(r.UserAgent)).ToHashSet(StringComparer.Ordinal);
            return agents.All(agent => checkedAgents.Contains(agent.Product))
                && agents.Where(expected.Contains).All(agent => agent.Service!.ExecuteTask is { IsCompleted: true });
        }

        bool CheckedSince(FleetAgent agent, TimeSpan start) =>
            RequestsOf(agent).Any(r => r.At >= start && r.Path == PointerPath);
    }

    /// <summary>The requests the feed server got from <paramref name="agent"/>, in order.</summary>
    private FeedRequest[] RequestsOf(FleetAgent agent) =>
        Server.Requests.Where(r => AgentOf(r.UserAgent) == agent.Product).ToArray();

    private TimeSpan FirstPointerRequest(FleetAgent agent, TimeSpan since) =>
        RequestsOf(agent).Where(r => r.At >= since && r.Path == PointerPath).Min(r => r.At);

    private void ShouldHaveStagedExactly(HashSet<FleetAgent> staged, HashSet<FleetAgent> expected, int percent)
    {
        staged.Select(agent => agent.HostId).Should().BeEquivalentTo(expected.Select(agent => agent.HostId), "exactly the hosts whose bucket is below {0} % stage the version", percent);
        (100.0 * staged.Count / FleetSize).Should().BeApproximately(percent, 8, "a {0} % rollout reaches about {0} % of the fleet", percent);
        foreach (var agent in _agents)
        {
            TargetAssert.CurrentVersion(agent.Target).Should().Be(V1, "staging never switches; the no-op companion does not either ({0})", agent.HostId);
            if (staged.Contains(agent))
            {
                agent.Service!.HandedOffVersion.Should().Be(V2, "{0} staged {1} and handed it to the companion", agent.HostId, V2);
            }
            else
            {
                agent.Service!.HandedOffVersion.Should().BeNull("{0} is outside the rollout", agent.HostId);
            }
        }
    }

    private void ShouldOnlyHaveReadThePointer(IEnumerable<FleetAgent> outside)
    {
        var byAgent = ByAgent();
        foreach (var agent in outside)
        {
            var paths = byAgent[agent.Product].Select(r => r.Path).Distinct(StringComparer.Ordinal).ToArray();
            paths.Should().NotBeEmpty("{0} checked", agent.HostId);
            paths.Where(p => !p.StartsWith("trust/", StringComparison.Ordinal)).Should().BeSubsetOf(
                [PointerPath, PointerPath + ".sig"], "{0} is outside the rollout: besides the trust chain it never reads the manifest or downloads a blob", agent.HostId);
            Directory.Exists(Path.Combine(agent.Target, ".secure-update", "staging")).Should().BeFalse("{0} staged nothing", agent.HostId);
        }
    }

    private void ShouldHaveFetchedTheReleaseOnce(IEnumerable<FleetAgent> inside)
    {
        var byAgent = ByAgent();
        foreach (var agent in inside)
        {
            var own = byAgent[agent.Product].ToArray();
            own.Count(r => r.Path == $"demo/stable/manifests/{V2}.json").Should().Be(1, "{0} fetches the manifest of {1} once", agent.HostId, V2);
            own.Count(r => r.Path.StartsWith("blobs/", StringComparison.Ordinal)).Should().Be(2, "{0} downloads only the two changed files; the unchanged one is reused from 1.0.0", agent.HostId);
            own.Where(r => !r.Path.StartsWith("trust/", StringComparison.Ordinal)).Should().OnlyContain(
                r => r.StatusCode == 200, "nothing failed for {0} (a feed without a trust chain answers trust/1.json with 404)", agent.HostId);
        }
    }

    private static TimeSpan Median(TimeSpan[] values) => values.Order().ElementAt(values.Length / 2);

    private ILookup<string, FeedRequest> ByAgent() => Server.Requests.ToLookup(r => AgentOf(r.UserAgent), StringComparer.Ordinal);

    /// <summary>The <c>fleet-agent/NNN</c> product token of a User-Agent, or an empty string.</summary>
    private static string AgentOf(string userAgent)
    {
        var start = userAgent.IndexOf("fleet-agent/", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        var end = userAgent.IndexOf(' ', start);
        return end < 0 ? userAgent[start..] : userAgent[start..end];
    }

    /// <summary>No 100 ms slot holds more than 10 % of the fleet's checks.</summary>
    private static void ShouldNotCrowdAnySlot(TimeSpan[] times, int fleet)
    {
        var busiest = times.Length == 0 ? 0 : times.GroupBy(time => (int)(time / s_bucket)).Max(group => group.Count());
        busiest.Should().BeLessThanOrEqualTo(fleet / 10, "no 100 ms slot gets more than 10 % of the fleet's checks");
    }

    /// <summary>The checks span more than half the jitter window.</summary>
    private static void ShouldSpan(TimeSpan[] times, TimeSpan window) =>
        (times.Max() - times.Min()).Should().BeGreaterThan(window / 2, "the checks spread over the jitter window of {0}", window);

    private void PrintHistogram(string title, TimeSpan[] times)
    {
        var text = new StringBuilder().Append(title).Append(" (").Append(times.Length).AppendLine(" agents, 100 ms buckets):");
        var counts = times.GroupBy(time => (int)(time / s_bucket)).ToDictionary(group => group.Key, group => group.Count());
        for (var bucket = 0; bucket <= counts.Keys.Max(); bucket++)
        {
            var count = counts.GetValueOrDefault(bucket);
            text.Append(CultureInfo.InvariantCulture, $"{bucket * 100,6} ms {count,3} ").Append('#', count).AppendLine();
        }

        _output.WriteLine(text.ToString());
    }
}
