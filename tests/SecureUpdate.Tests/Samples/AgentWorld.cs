using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text;
using SecureUpdate.Platform;
using SecureUpdate.Swap;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Tests.SingleFile;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// One SelfUpdatingAgent test's world: a <see cref="SampleFeed"/>, a target installed with <c>secure-update apply</c>,
/// the agent started from <c>TARGET/current</c> with the CLI under test as its companion, its status file and log,
/// and every process that the test started, directly or through the companion, killed at the end.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class AgentWorld : IAsyncDisposable
{
    public const string App = "self-updating-agent";

    /// <summary>Generous: every step takes a second or two; only a failing test waits this long.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly HashSet<int> _pids = [];
    private Process? _agent;

    private AgentWorld(TempFolder temp, SampleFeed feed, string companion)
    {
        Temp = temp;
        Feed = feed;
        Companion = companion;
    }

    public TempFolder Temp { get; }

    public SampleFeed Feed { get; }

    /// <summary>What the agent runs as <c>secure-update swap</c>: the CLI under test (a script that runs it, for the JIT build).</summary>
    public string Companion { get; }

    public string Target => Temp.Combine("target");

    public string StatusFile => Temp.Combine("status.json");

    public string LogFile => Temp.Combine("agent.log");

    public static async Task<AgentWorld> CreateAsync()
    {
        var temp = new TempFolder();
        try
        {
            var companion = CliUnderTest.IsNative ? CliUnderTest.FileName : WriteCompanionScript(temp);
            return new AgentWorld(temp, await SampleFeed.CreateAsync(temp), companion);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>Releases <paramref name="input"/> (a published agent folder) as <paramref name="version"/>.</summary>
    public Task ReleaseAsync(string version, string input, Action<SampleFeed>? tamper = null) => Feed.ReleaseAsync(App, version, input, tamper);

    /// <summary>Installs the channel's release into the target: <c>secure-update apply</c>, as an operator would.</summary>
    public async Task InstallAsync()
    {
        var result = await CliRunner.RunAsync("apply", "--feed", Feed.Url, "--trust", Feed.TrustFile, "--target", Target, "--app", App, "--json");
        result.ShouldExitWith(0);
    }

    /// <summary>Starts the agent from <c>TARGET/current</c>, checking about twice a second, its output appended to <see cref="LogFile"/>.</summary>
    public void StartAgent(string confirmWithin = "20s")
    {
        string[] arguments =
        [
            "--feed", Feed.Url, "--trust", Feed.TrustFile, "--target", Target, "--companion", Companion,
            "--interval", "500ms", "--jitter", "200ms", "--confirm-within", confirmWithin,
            "--status-file", StatusFile, "--log", LogFile,
        ];
        var command = $"exec {ShellCommand.Quote(CliRunner.DotnetHost())} ./SelfUpdatingAgent.dll {string.Join(' ', arguments.Select(ShellCommand.Quote))} < /dev/null >> {ShellCommand.Quote(LogFile)} 2>&1";
        var startInfo = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Path.Combine(Target, "current"), UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(command);
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "SECURE_UPDATE_TEST_CRASH_AT" })
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        _agent = Process.Start(startInfo)!;
        _pids.Add(_agent.Id);
    }

    /// <summary>The status file, or null while there is none.</summary>
    public AgentStatus? ReadStatus()
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(StatusFile));
            var root = document.RootElement;
            var status = new AgentStatus(root.GetProperty("version").GetString()!, root.GetProperty("pid").GetInt32(), root.GetProperty("state").GetString()!);
            _pids.Add(status.Pid);
            return status;
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Polls the status file until <paramref name="condition"/> holds; fails with the agent's log otherwise.</summary>
    public async Task<AgentStatus> WaitForStatusAsync(Func<AgentStatus, bool> condition, string because, Action? eachPoll = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            eachPoll?.Invoke();
            if (ReadStatus() is { } status && condition(status))
            {
                return status;
            }

            if (stopwatch.Elapsed > Patience)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for the agent's status: {because}.\n{Describe()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls the target's events until <paramref name="condition"/> holds for them.</summary>
    public async Task<IReadOnlyList<AuditEntry>> WaitForEventsAsync(Func<IReadOnlyList<AuditEntry>, bool> condition, string because, Action? eachPoll = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            eachPoll?.Invoke();
            var events = Events();
            if (condition(events))
            {
                return events;
            }

            if (stopwatch.Elapsed > Patience)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for the target's events: {because}.\n{Describe()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The target's audit events, oldest first (<c>.secure-update/events.log</c>).</summary>
    public IReadOnlyList<AuditEntry> Events()
    {
        var path = Path.Combine(Target, ".secure-update", "events.log");
        string[] lines;
        try
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (IOException)
        {
            return [];
        }

        var entries = new List<AuditEntry>();
        foreach (var line in lines.Where(line => line.Length > 0))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                entries.Add(new AuditEntry(
                    root.GetProperty("event").GetString()!,
                    root.TryGetProperty("version", out var version) ? version.GetString() : null,
                    root.TryGetProperty("error_name", out var code) ? code.GetString() : null));
            }
            catch (JsonException)
            {
                // The last line is still being written.
            }
        }

        return entries;
    }

    /// <summary><c>secure-update status --json</c> of the target.</summary>
    public async Task<CliResult> StatusAsync()
    {
        var result = await CliRunner.RunAsync("status", "--target", Target, "--json");
        result.ShouldExitWith(0);
        return result;
    }

    /// <summary>The target's state file (<c>.secure-update/state.json</c>, docs/formats.md).</summary>
    public JsonElement State()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Target, ".secure-update", "state.json")));
        return document.RootElement.Clone();
    }

    /// <summary>The agent's log, status and the target's events, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("status file: ").AppendLine(File.Exists(StatusFile) ? File.ReadAllText(StatusFile) : "(none)");
        text.Append("events: ").AppendJoin("; ", Events()).AppendLine();
        var log = File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";
        text.AppendLine("--- agent and companion log ---").AppendLine(log.Length <= 12000 ? log : "…" + log[^12000..]);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        ReadStatus();
        await SampleProcesses.KillAsync(Temp.Path, _pids);
        _agent?.Dispose();
        await Feed.DisposeAsync();
        Temp.Dispose();
    }

    private static string WriteCompanionScript(TempFolder temp)
    {
        var script = temp.Combine("secure-update");
        File.WriteAllText(script, $"#!/bin/sh\nexec {ShellCommand.Quote(CliUnderTest.FileName)} {ShellCommand.Quote(CliUnderTest.Dll!)} \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return script;
    }
}
