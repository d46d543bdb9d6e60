using System.Runtime.Versioning;
using SecureUpdate.Tests.Companion;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// samples/SelfUpdatingAgent, built against the SecureUpdate package and run as real processes: installed with
/// <c>secure-update apply</c>, it finds a newer release, stages it, hands off to the companion (the CLI under test)
/// and comes back as the new version, which confirms itself healthy; a release that is not healthy is reverted;
/// a tampered release never reaches the agent's folder.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SelfUpdatingAgentTests
{
    private const string V1 = "1.0.0";
    private const string V2 = "1.1.0";

    [Fact]
    public async Task Agent_NewerReleasePublished_HandsOffAndRestartsAsNewVersionConfirmed()
    {
        await using var world = await AgentWorld.CreateAsync();
        await world.ReleaseAsync(V1, await SampleBuilds.AgentAsync(V1));
        await world.InstallAsync();
        world.StartAgent();
        var first = await world.WaitForStatusAsync(s => s is { Version: V1, State: "confirmed" }, "1.0.0, installed by apply, starts and is committed");

        await world.ReleaseAsync(V2, await SampleBuilds.AgentAsync(V2));

        var second = await world.WaitForStatusAsync(s => s is { Version: V2, State: "confirmed" }, "1.1.0 is staged, swapped in, restarted and confirms itself healthy");
        second.Pid.Should().NotBe(first.Pid, "the companion restarted the agent as a new process\n{0}", world.Describe());
        (await ProcessProbe.WaitForExitAsync(first.Pid, TimeSpan.FromSeconds(10))).Should().BeTrue("1.0.0 exits to hand off\n{0}", world.Describe());
        ProcessProbe.IsRunning(second.Pid).Should().BeTrue("1.1.0 keeps running\n{0}", world.Describe());
        TargetAssert.CurrentVersion(world.Target).Should().Be(V2);
        var status = await world.StatusAsync();
        StatusReader.Current(status).Should().Be(V2, status.Describe());
        status.JsonString("floor").Should().Be(V2, "the floor rises only once the new version confirmed itself healthy\n{0}", status.Describe());
        world.State().TryGetProperty("pendingConfirmation", out _).Should().BeFalse("nothing awaits confirmation any more\n{0}", world.Describe());
        var events = world.Events();
        var awaiting = events.ToList().FindIndex(e => e is { Event: "awaiting-confirmation", Version: V2 });
        var confirmed = events.ToList().FindIndex(e => e is { Event: "confirmed", Version: V2 });
        awaiting.Should().BeGreaterThanOrEqualTo(0, "the companion switched and waited for a confirmation\n{0}", world.Describe());
        confirmed.Should().BeGreaterThan(awaiting, "then 1.1.0 confirmed itself\n{0}", world.Describe());
    }

    [Fact]
    public async Task Agent_UnhealthyRelease_IsRevertedAndPreviousVersionRunsAgain()
    {
        await using var world = await AgentWorld.CreateAsync();
        await world.ReleaseAsync(V1, await SampleBuilds.AgentAsync(V1));
        await world.InstallAsync();
        world.StartAgent(confirmWithin: "5s");
        var first = await world.WaitForStatusAsync(s => s is { Version: V1, State: "confirmed" }, "1.0.0 starts");

        // The same build, with the file that makes the sample report itself unhealthy.
        var bad = world.Temp.Combine("bad-1.1.0");
        DirectoryCopy.Copy(await SampleBuilds.AgentAsync(V2), bad);
        await File.WriteAllTextAsync(Path.Combine(bad, "fail-health"), "this release reports itself unhealthy\n");
        await world.ReleaseAsync(V2, bad);

        var events = await world.WaitForEventsAsync(e => e.Any(x => x is { Event: "reverted", Version: V2 }), "1.1.0 does not confirm itself, so it is reverted");
        var back = await world.WaitForStatusAsync(s => s is { Version: V1, State: "confirmed" } && s.Pid != first.Pid, "1.0.0 is restarted after the revert");

        events.Should().Contain(e => e.Event == "awaiting-confirmation" && e.Version == V2, "1.1.0 was switched in first\n{0}", world.Describe());
        TargetAssert.CurrentVersion(world.Target).Should().Be(V1);
        StatusReader.Current(await world.StatusAsync()).Should().Be(V1);
        ProcessProbe.IsRunning(back.Pid).Should().BeTrue("the reverted-to 1.0.0 keeps running\n{0}", world.Describe());
        world.State().GetProperty("rejected").EnumerateArray().Select(v => v.GetString()).Should().Contain(V2, "a reverted version is rejected\n{0}", world.Describe());

        // Rejected: the restarted agent goes on checking, finds nothing to install and never stages 1.1.0 again.
        var stagedBefore = world.Events().Count(e => e is { Event: "staged", Version: V2 });
        var checks = await ChecksLoggedSinceAsync(world, $"Agent {V1} (pid {back.Pid}): started", atLeast: 3);
        checks.Should().HaveCountGreaterThanOrEqualTo(3, "the restarted 1.0.0 keeps checking the feed\n{0}", world.Describe());
        checks.Should().NotContain(line => line.Contains("Available", StringComparison.Ordinal), "1.1.0 is rejected on this target\n{0}", world.Describe());
        world.Events().Count(e => e is { Event: "staged", Version: V2 }).Should().Be(stagedBefore, "a rejected version is not staged again\n{0}", world.Describe());
        world.ReadStatus().Should().Be(back, "1.0.0 keeps running; no new hand-off\n{0}", world.Describe());
    }

    [Fact]
    public async Task Agent_TamperedRelease_NeverReachesTheTargetAndAgentKeepsRunning()
    {
        await using var world = await AgentWorld.CreateAsync();
        await world.ReleaseAsync(V1, await SampleBuilds.AgentAsync(V1));
        await world.InstallAsync();
        world.StartAgent();
        var first = await world.WaitForStatusAsync(s => s is { Version: V1, State: "confirmed" }, "1.0.0 starts");
        var newVersion = Path.Combine(world.Target, "versions", V2);
        var appeared = false;
        void Watch() => appeared |= Directory.Exists(newVersion);

        // An attacker on the server changes the one payload that is new in 1.1.0 (the others are reused from 1.0.0).
        var agentV2 = Path.Combine(await SampleBuilds.AgentAsync(V2), "SelfUpdatingAgent.dll");
        await world.ReleaseAsync(V2, await SampleBuilds.AgentAsync(V2), feed => SampleFeed.FlipByte(feed.BlobOf(agentV2)));

        var events = await world.WaitForEventsAsync(e => e.Count(x => x.Event == "refused") >= 2, "the agent refuses the tampered release, check after check", Watch);

        events.Where(e => e.Event == "refused").Should().OnlyContain(e => e.ErrorCode == "hash_mismatch", "the payload does not match its signed hash\n{0}", world.Describe());
        Watch();
        appeared.Should().BeFalse("versions/1.1.0 never appears\n{0}", world.Describe());
        Directory.EnumerateDirectories(Path.Combine(world.Target, "versions")).Select(Path.GetFileName).Should().Equal([V1]);
        TargetAssert.CurrentVersion(world.Target).Should().Be(V1);
        world.ReadStatus().Should().Be(first, "the same 1.0.0 process keeps running and never hands off\n{0}", world.Describe());
        ProcessProbe.IsRunning(first.Pid).Should().BeTrue(world.Describe());
    }

    /// <summary>Waits until the agent's log holds <paramref name="atLeast"/> update checks after the line containing <paramref name="marker"/>; returns those check lines.</summary>
    private static async Task<IReadOnlyList<string>> ChecksLoggedSinceAsync(AgentWorld world, string marker, int atLeast)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var lines = File.Exists(world.LogFile) ? await File.ReadAllLinesAsync(world.LogFile) : [];
            var start = Array.FindIndex(lines, line => line.Contains(marker, StringComparison.Ordinal));
            var checks = start < 0 ? [] : lines[(start + 1)..].Where(line => line.Contains("Update check: ", StringComparison.Ordinal)).ToArray();
            if (checks.Length >= atLeast || stopwatch.Elapsed > AgentWorld.Patience)
            {
                return checks;
            }

            await Task.Delay(100);
        }
    }
}
