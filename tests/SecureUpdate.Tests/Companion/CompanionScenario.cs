using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// One companion test's world: an <see cref="AttackScenario"/> (a feed at 1.1.0, a target with 1.0.0 installed and
/// its trust pinned) plus the commands of the companion contract, and every process a test starts, killed at the end.
/// </summary>
public sealed class CompanionScenario : IAsyncDisposable
{
    private readonly AttackScenario _scenario;
    private readonly List<int> _pids = [];
    private readonly List<string> _pidFiles = [];

    private CompanionScenario(AttackScenario scenario)
    {
        _scenario = scenario;
    }

    public string Target => _scenario.Target;

    public string TrustFile => _scenario.TrustFile;

    public string Feed => _scenario.Feed;

    public TempFolder Temp => _scenario.Temp;

    public AttackScenario Attack => _scenario;

    public string EventsLog => Path.Combine(Target, ".secure-update", "events.log");

    public static async Task<CompanionScenario> CreateAsync() => new(await AttackScenario.CreateAsync());

    /// <summary><c>apply --json</c> from the feed folder with the pinned key.</summary>
    public Task<CliResult> ApplyAsync(params string[] extra) => _scenario.ApplyFromFolderAsync(extra);

    /// <summary><c>apply --stage-only</c>, which must succeed with outcome "staged" and leave <c>current</c> on 1.0.0.</summary>
    public async Task StageAsync()
    {
        var result = await ApplyAsync("--stage-only");
        result.ShouldExitWith(0);
        result.JsonString("outcome").Should().Be("staged", "apply --stage-only reports outcome \"staged\"\n{0}", result.Describe());
        TargetAssert.CurrentVersion(Target).Should().Be(ReleaseInputs.V1, "staging never switches current");
    }

    public Task<CliResult> SwapAsync(params string[] extra) =>
        CliRunner.RunAsync(["swap", "--target", Target, "--json", .. extra]);

    public Task<CliResult> RollbackAsync(params string[] extra) =>
        CliRunner.RunAsync(["rollback", "--target", Target, "--json", .. extra]);

    public Task<CliResult> VerifyAsync() =>
        CliRunner.RunAsync("verify", "--target", Target, "--trust", TrustFile, "--json");

    /// <summary>Runs one of apply, swap, rollback, verify by name, with no extra options.</summary>
    public Task<CliResult> RunAsync(string command) => command switch
    {
        "apply" => ApplyAsync(),
        "swap" => SwapAsync(),
        "rollback" => RollbackAsync(),
        "verify" => VerifyAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a target command"),
    };

    /// <summary>Takes a new "before" snapshot after a set-up step.</summary>
    public void Recapture() => _scenario.Recapture();

    /// <summary>The refusal contract: exit code, one clear stderr line, outcome "failed" with the error code, target unchanged but for lock and events.log.</summary>
    public void ShouldBeRefused(CliResult result, int exitCode, string errorCode, string currentVersion = ReleaseInputs.V1) =>
        _scenario.ShouldBeRefused(result, exitCode, errorCode, currentVersion);

    /// <summary>The <c>event</c> of every line of the target's events.log, in order.</summary>
    public IReadOnlyList<string> EventNames()
    {
        if (!File.Exists(EventsLog))
        {
            return [];
        }

        return File.ReadAllLines(EventsLog)
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.GetProperty("event").GetString()!;
            })
            .ToArray();
    }

    /// <summary>A pid file that a shell command of the test writes; whatever pid it names is killed at the end.</summary>
    public string PidFile(string name)
    {
        var path = Temp.Combine(name + ".pid");
        _pidFiles.Add(path);
        return path;
    }

    /// <summary>Kills <paramref name="pid"/> at the end of the test if it still runs.</summary>
    public void KillAtEnd(int pid) => _pids.Add(pid);

    public async ValueTask DisposeAsync()
    {
        foreach (var pidFile in _pidFiles.Where(File.Exists))
        {
            foreach (var line in File.ReadAllLines(pidFile))
            {
                if (int.TryParse(line.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var pid))
                {
                    _pids.Add(pid);
                }
            }
        }

        foreach (var pid in _pids)
        {
            ProcessProbe.Kill(pid);
        }

        await _scenario.DisposeAsync();
    }
}
