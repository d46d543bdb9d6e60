using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Agent;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// Conditional requests must not become a freeze: an agent whose feed answers "not modified"
/// keeps that answer only until the channel pointer it last verified expires; then it asks in
/// full, and a stale pointer is refused (and logged) rather than silently kept.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentFreezeTests : IAsyncLifetime, IDisposable
{
    private const string PointerPath = ReleaseWorkspace.App + "/stable/channel.json";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _log = new();
    private ReleaseWorkspace _workspace = null!;
    private FeedServer _server = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _workspace = new ReleaseWorkspace(_time);
        _workspace.WriteInput("app.txt", "one");
        await _workspace.PublishAsync("1.0.0", expiresIn: TimeSpan.FromDays(7));
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        _server = await FeedServer.StartAsync(_workspace.Feed);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Logging.AddProvider(_log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSecureUpdateAgent(options =>
        {
            options.Feed = _server.Url;
            options.TrustFile = Path.Combine(_workspace.Keys, "release.pub");
            options.Target = _workspace.Target;
            options.RunningVersion = "1.0.0";
            options.HostId = "freeze-host";
            options.CheckInterval = TimeSpan.FromHours(1);
            options.Jitter = TimeSpan.Zero;
            options.ConfirmAfter = TimeSpan.Zero;
            options.CompanionPath = "/bin/true";
            options.RestartCommand = "true";
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _workspace.Dispose();
        _log.Dispose();
    }

    [Fact]
    public async Task Agent_FeedAnswersNotModified_AsksInFullOnceThePointerHasExpired()
    {
        // First check: in full; the pointer verifies, 1.0.0 is current.
        var first = await PointerRequestsAsync(1);
        first[0].Conditional.Should().BeFalse();
        first[0].StatusCode.Should().Be(200);

        // An hour later: conditional, and the unchanged pointer costs a 304.
        await AdvanceOnceTheAgentWaitsAsync(2, TimeSpan.FromHours(1));
        var second = await PointerRequestsAsync(2);
        second[1].Conditional.Should().BeTrue();
        second[1].StatusCode.Should().Be(304);

        // Past the pointer's signed expiry (7 days), "not modified" no longer counts: the agent asks in full,
        // and the stale pointer is refused and logged, not kept.
        await AdvanceOnceTheAgentWaitsAsync(3, TimeSpan.FromDays(8));
        var third = await PointerRequestsAsync(3);
        third[2].Conditional.Should().BeFalse("an expired pointer is not kept alive by a 304");
        third[2].StatusCode.Should().Be(200);
        (await WaitForLogAsync(entry => entry.Message.Contains("expired", StringComparison.OrdinalIgnoreCase)))
            .Should().BeTrue("the refusal of the stale pointer is logged\n{0}", string.Join("\n", _log.Entries.Select(e => e.Message)));
        TargetAssert.CurrentVersion(_workspace.Target).Should().Be("1.0.0");
    }

    /// <summary>Advances the fake clock once the agent has drawn its <paramref name="wait"/>-th delay (event 401) and is waiting on it.</summary>
    private async Task AdvanceOnceTheAgentWaitsAsync(int wait, TimeSpan by)
    {
        (await WaitForLogAsync(entry => entry.EventId.Id == 401, wait)).Should().BeTrue("the agent schedules check {0}", wait);

        // The timer is created right after the message; a moment of real time lets it be registered first.
        await Task.Delay(200);
        _time.Advance(by);
    }

    private async Task<FeedRequest[]> PointerRequestsAsync(int count)
    {
        for (var i = 0; i < 300; i++)
        {
            var requests = _server.Requests.Where(r => r.Path == PointerPath).ToArray();
            if (requests.Length >= count)
            {
                return requests;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The agent made fewer than {count} requests for the channel pointer: {string.Join(", ", _server.RequestLog)}");
    }

    private async Task<bool> WaitForLogAsync(Func<CapturedLogEntry, bool> match, int count = 1)
    {
        for (var i = 0; i < 300; i++)
        {
            if (_log.Entries.Count(match) >= count)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }
}
