using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// Kills at random instants: many trials of a real <c>apply</c> of a large release over loopback HTTP, each killed with
/// SIGKILL after a random delay between zero and the duration of an unkilled apply, each followed by the crash invariant.
/// The seed is printed (and can be set with <c>SECURE_UPDATE_CRASH_SEED</c>, the number of trials with
/// <c>SECURE_UPDATE_CRASH_TRIALS</c>) so a failing run can be repeated.
/// </summary>
[Collection(CrashSuite.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class RandomKillTests
{
    private const int DefaultTrials = 50;

    /// <summary>Every other trial draws its delay from the last part of the span, where the journaled steps are.</summary>
    private const double TailStart = 0.7;

    private readonly CrashWorkspace _workspace;
    private readonly ITestOutputHelper _output;

    public RandomKillTests(CrashWorkspace workspace, ITestOutputHelper output)
    {
        _workspace = workspace;
        _output = output;
    }

    [Fact]
    public async Task Apply_KilledAtRandomInstants_AlwaysLeavesOldOrNewAndRecovers()
    {
        var seed = Setting("SECURE_UPDATE_CRASH_SEED") ?? Random.Shared.Next();
        var trials = Setting("SECURE_UPDATE_CRASH_TRIALS") ?? DefaultTrials;
        Report($"random kills: seed {seed} (repeat with SECURE_UPDATE_CRASH_SEED={seed}), {trials} trials");
        var release = await _workspace.GetLargeReleaseAsync();
        using var temp = new TempFolder();
        await using var server = await FeedServer.StartAsync(release.Feed);
        var total = Stopwatch.StartNew();

        // The span the kills are spread over: an unkilled apply, timed twice (the first also warms caches), then kept
        // current with every following apply that does the whole update, so that it follows the machine's load.
        var span = TimeSpan.Zero;
        for (var run = 0; run < 2; run++)
        {
            var target = temp.Combine($"unkilled-{run}");
            DirectoryCopy.CopyWithHardLinks(release.InstalledTarget, target);
            var result = (await CrashCli.RunAsync(null, release.Apply(server.Url, target))).ShouldExitWith(0);
            CrashInvariant.ShouldBeOldOrNew(target, LargeRelease.Old, LargeRelease.New, "after an unkilled apply").Should().Be(LargeRelease.New.Version);
            Directory.Exists(Path.Combine(target, "versions", LargeRelease.Pruned.Version)).Should().BeFalse("the update prunes 0.9.0");
            span = result.Elapsed;
            TempFolder.DeleteTree(target);
        }

        var firstSpan = span;
        var random = new Random(seed);
        var tally = new RandomKillTally();
        var deleting = Task.CompletedTask;
        for (var trial = 1; trial <= trials; trial++)
        {
            // Odd trials: anywhere in the span. Even trials: its last part, so that enough kills land between the end of
            // staging and the end of the apply (journal, move, switch, state, prune), which is a small part of it.
            var from = trial % 2 == 1 ? 0 : TailStart;
            var delay = TimeSpan.FromMilliseconds((from + (random.NextDouble() * (1 - from))) * span.TotalMilliseconds);
            var target = temp.Combine($"trial-{trial}");
            var copying = Stopwatch.StartNew();
            DirectoryCopy.CopyWithHardLinks(release.InstalledTarget, target);
            tally.Copying += copying.Elapsed;
            try
            {
                var fullApply = await RunTrialAsync(release, server.Url, target, delay, tally);
                if (fullApply is { } elapsed)
                {
                    span = (span + elapsed) / 2;
                }
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"trial {trial} of {trials} (seed {seed}, killed after {delay.TotalMilliseconds:0} ms of a span of {span.TotalMilliseconds:0} ms) failed:\n{ex.Message}", ex);
            }

            // A finished trial's target is deleted while the next trial runs (deleting takes longer than copying).
            copying.Restart();
            await deleting;
            tally.Copying += copying.Elapsed;
            deleting = Task.Run(() => TempFolder.DeleteTree(target));
        }

        await deleting;

        Report(string.Create(
            CultureInfo.InvariantCulture,
            $"random kills: {trials} trials (seed {seed}), unkilled apply {firstSpan.TotalMilliseconds:0} ms (last {span.TotalMilliseconds:0} ms); killed {tally.Killed} (between journal written and cleared {tally.JournalLeft}), finished before the kill {tally.Finished}; current right after: old {tally.OldRightAfter}, new {tally.NewRightAfter}; after recovery: old {tally.Old}, new {tally.New}; temporary files of an interrupted atomic write left after recovery in {tally.TemporaryFilesLeft} ({string.Join(", ", tally.TemporaryFileNames.Order(StringComparer.Ordinal))})"));
        Report(string.Create(
            CultureInfo.InvariantCulture,
            $"random kills: {total.Elapsed.TotalSeconds:0.0} s (copying targets and waiting for deletes {tally.Copying.TotalSeconds:0.0} s, killed applies {tally.Killing.TotalSeconds:0.0} s, status and verify {tally.Recovering.TotalSeconds:0.0} s, following applies {tally.Applying.TotalSeconds:0.0} s)"));
        (tally.Old + tally.New).Should().Be(trials);
    }

    /// <summary>One trial; returns the duration of the following apply when it did the whole update, else null.</summary>
    private static async Task<TimeSpan?> RunTrialAsync(LargeRelease release, string feed, string target, TimeSpan delay, RandomKillTally tally)
    {
        var phase = Stopwatch.StartNew();
        CliResult killed;
        using (var process = CrashCli.Start(null, release.Apply(feed, target)))
        {
            await Task.Delay(delay);
            process.Kill();
            killed = await process.WaitAsync(CliRunner.DefaultTimeout);
        }

        tally.Killing += phase.Elapsed;

        // Either the kill landed (SIGKILL) or the apply had already finished: nothing else is acceptable.
        killed.ExitCode.Should().BeOneOf(new[] { CrashCli.KilledExitCode, 0 }, "the apply is either killed or finished\n{0}", killed.Describe());
        if (killed.ExitCode == 0)
        {
            tally.Finished++;
        }
        else
        {
            tally.Killed++;
        }

        if (File.Exists(CrashInvariant.JournalPath(target)))
        {
            tally.JournalLeft++;
        }

        var rightAfter = CrashInvariant.ShouldBeOldOrNew(target, LargeRelease.Old, LargeRelease.New, "right after the kill");
        if (rightAfter == LargeRelease.New.Version)
        {
            tally.NewRightAfter++;
        }
        else
        {
            tally.OldRightAfter++;
        }

        phase.Restart();
        var settled = await CrashInvariant.ShouldRecoverAsync(target, release.TrustFile, LargeRelease.Old, LargeRelease.New);
        tally.Recovering += phase.Elapsed;
        var leftovers = TemporaryFilesLeft(target);
        if (leftovers.Count > 0)
        {
            tally.TemporaryFilesLeft++;
            tally.TemporaryFileNames.UnionWith(leftovers);
        }
        if (settled == LargeRelease.New.Version)
        {
            tally.New++;
        }
        else
        {
            tally.Old++;
        }

        phase.Restart();
        var apply = (await CrashCli.RunAsync(null, release.Apply(feed, target))).ShouldExitWith(0).ShouldHaveNoStackTrace();
        tally.Applying += phase.Elapsed;
        CrashInvariant.ShouldBeOldOrNew(target, LargeRelease.Old, LargeRelease.New, "after the following apply").Should().Be(LargeRelease.New.Version);
        File.Exists(CrashInvariant.JournalPath(target)).Should().BeFalse("the following apply leaves no journal");
        return settled == LargeRelease.Old.Version ? apply.Elapsed : null;
    }

    /// <summary>
    /// Leftovers of an atomic write cut short (<c>.NAME.GUID.tmp</c>), by name without the GUID: not part of the invariant,
    /// only reported.
    /// </summary>
    private static List<string> TemporaryFilesLeft(string target) =>
        new[] { target, Path.Combine(target, ".secure-update"), Path.Combine(target, ".secure-update", "manifests") }
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFileSystemEntries(folder, ".*.tmp"))
            .Select(path => Path.GetRelativePath(target, path))
            .Select(name => System.Text.RegularExpressions.Regex.Replace(name, "[0-9a-f]{32}", "*"))
            .ToList();

    private void Report(string line)
    {
        _output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
