using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SecureUpdate;
using SecureUpdate.Agent;
using SecureUpdate.Errors;

namespace SelfUpdatingAgent;

/// <summary>
/// Keeps the status file current: <c>started</c> at once; <c>confirmed</c> when the target has committed
/// this version (its floor reached it, which happens only after the health confirmation of an update);
/// <c>handing-off</c> or <c>stopping</c> as the host stops.
/// </summary>
internal sealed partial class StatusReporter : BackgroundService
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    private readonly AgentArguments _arguments;
    private readonly StatusFile _statusFile;
    private readonly UpdateClient _client;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private bool _stopping;

    public StatusReporter(AgentArguments arguments, StatusFile statusFile, UpdateClient client, IHostApplicationLifetime lifetime, IServiceProvider services, TimeProvider timeProvider, ILogger<StatusReporter> logger)
    {
        _arguments = arguments;
        _statusFile = statusFile;
        _client = client;
        _lifetime = lifetime;
        _services = services;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Report(AgentState.Started);
        _lifetime.ApplicationStopping.Register(OnStopping);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Bounded: the library confirms (or gives up) within ConfirmAfter and ConfirmWithin.
        var giveUp = _timeProvider.GetUtcNow() + _arguments.ConfirmWithin + TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested && _timeProvider.GetUtcNow() < giveUp)
        {
            try
            {
                var status = _client.GetStatus(Target.Folder(_arguments.Target));
                if (status.CurrentVersion != AgentVersion.Current)
                {
                    // Reverted, or run outside the target: the library stops this process if it must.
                    return;
                }

                if (status.PendingVersion is null)
                {
                    // Nothing awaits confirmation for the running version: it is committed (confirmed, or installed directly).
                    Report(AgentState.Confirmed);
                    return;
                }
            }
            catch (SecureUpdateException ex)
            {
                StatusUnreadable(_logger, ex.Message);
                return;
            }

            await Task.Delay(s_pollInterval, _timeProvider, stoppingToken);
        }
    }

    private void OnStopping()
    {
        // The update service has set HandedOffVersion before it asks the host to stop.
        var handedOff = _services.GetServices<IHostedService>().OfType<UpdateAgentService>().FirstOrDefault()?.HandedOffVersion;
        Report(handedOff is null ? AgentState.Stopping : AgentState.HandingOff, handedOff);
        lock (_lock)
        {
            _stopping = true;
        }
    }

    private void Report(AgentState state, string? handingOffTo = null)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _statusFile.Write(state, handingOffTo);
            var name = StatusFile.Name(state);
            Reported(_logger, AgentVersion.Current, Environment.ProcessId, name);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Agent {Version} (pid {Pid}): {State}")]
    private static partial void Reported(ILogger logger, string version, int pid, string state);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The target's status cannot be read: {Detail}")]
    private static partial void StatusUnreadable(ILogger logger, string detail);
}
