using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureUpdate.Agent;
using SecureUpdate.Configuration;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// One agent of <see cref="FleetTests"/>: its host id, its own target folder, and (while running)
/// its own generic host with <see cref="UpdateAgentService"/>, a capturing logger and a User-Agent
/// that names it so the feed server can tell its requests apart.
/// </summary>
internal sealed class FleetAgent
{
    private IHost? _host;

    public FleetAgent(int index, string target)
    {
        Index = index;
        Target = target;
        HostId = "fleet-host-" + index.ToString("D3", CultureInfo.InvariantCulture);
        Product = "fleet-agent/" + index.ToString("D3", CultureInfo.InvariantCulture);
    }

    public int Index { get; }

    public string HostId { get; }

    public string Target { get; }

    /// <summary>The product token this agent adds to its User-Agent.</summary>
    public string Product { get; }

    /// <summary>The running host's agent service, or null before the first start.</summary>
    public UpdateAgentService? Service { get; private set; }

    /// <summary>What the running host's agent logged, timed on the feed server's clock.</summary>
    public CapturingLoggerProvider Log { get; private set; } = new();

    /// <summary>Whether this agent has <paramref name="version"/> staged in its target.</summary>
    public bool HasStaged(string version) => Directory.Exists(Path.Combine(Target, "versions", version));

    /// <summary>Builds a fresh host for this agent (the previous one must be stopped).</summary>
    public void Build(string feed, string trustFile, TimeSpan jitter, Func<TimeSpan> clock)
    {
        Log = new CapturingLoggerProvider(clock);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = HostId });
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Logging.AddProvider(Log).SetMinimumLevel(LogLevel.Debug); // event 401 (the drawn delay) is a debug message
        builder.Services.AddSecureUpdateAgent(
            options =>
            {
                options.Feed = feed;
                options.TrustFile = trustFile;
                options.Target = Target;
                options.HostId = HostId;
                options.RunningVersion = "1.0.0";
                options.CheckInterval = TimeSpan.FromHours(1);
                options.Jitter = jitter;
                options.ConfirmAfter = TimeSpan.Zero;
                options.CompanionPath = "/bin/true";
                options.RestartCommand = "true";
            },
            client => client.RetryBaseDelay = TimeSpan.FromMilliseconds(50));
        builder.Services.AddHttpClient(SecureUpdateOptions.HttpClientName).ConfigureHttpClient(client => client.DefaultRequestHeaders.UserAgent.ParseAdd(Product));
        _host = builder.Build();

        // The jitter is drawn from Random.Shared, as in production. (Seeding each agent with its index
        // would not do: System.Random's first draws for consecutive seeds are strongly correlated.)
        Service = _host.Services.GetServices<IHostedService>().OfType<UpdateAgentService>().Single();
    }

    /// <summary>Starts the built host.</summary>
    public Task StartAsync() => _host!.StartAsync();

    /// <summary>Stops and disposes the running host, if any.</summary>
    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await host.StopAsync(timeout.Token);
            }
            finally
            {
                host.Dispose();
            }
        }
    }

    /// <summary>
    /// The running host's first scheduled check: when the agent drew its delay (logged as event 401,
    /// "Next update check in", just before waiting) and the delay it drew.
    /// </summary>
    public (TimeSpan DrawnAt, TimeSpan Delay) FirstSchedule()
    {
        var entry = Log.Entries.First(e => e.EventId.Id == 401);
        return (entry.At, (TimeSpan)entry.Values["Delay"]!);
    }

    /// <summary>The agent's warnings and errors, for failure messages.</summary>
    public string Problems() =>
        string.Join(" | ", Log.Entries.Where(entry => entry.Level >= LogLevel.Warning).Select(entry => entry.Message));
}
