using System.IO.Abstractions;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureUpdate.Errors;
using SecureUpdate.Platform;
using SecureUpdate.Swap;
using SecureUpdate.Trust;

namespace SecureUpdate.Agent;

/// <summary>
/// A hosted service that keeps a long-running agent up to date. As it starts it counts the start
/// against a pending health confirmation and, once the new version is healthy, confirms it (or
/// stops, so the companion reverts it). Then it checks the feed on an interval with random jitter,
/// using conditional requests; when a newer version is rolled out to this host it stages it while
/// the agent keeps running, starts the <c>secure-update swap</c> companion, and stops the host
/// gracefully so that the companion can switch and restart it.
/// </summary>
public sealed class UpdateAgentService : BackgroundService
{
    private readonly UpdateClient _client;
    private readonly UpdateAgentOptions _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service (normally through <c>AddSecureUpdateAgent</c>).</summary>
    public UpdateAgentService(UpdateClient client, IOptions<UpdateAgentOptions> options, IHostApplicationLifetime lifetime, IFileSystem fileSystem, TimeProvider timeProvider, ILogger<UpdateAgentService> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options.Value;
        _lifetime = lifetime;
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The random source of the jitter; tests replace it.</summary>
    internal Random Random { get; set; } = new();

    /// <summary>The version this service found staged and handed to the companion, or null.</summary>
    public string? HandedOffVersion { get; private set; }

    /// <summary>The one feed, when the options give one (else null).</summary>
    private string? OneFeed => string.IsNullOrEmpty(_options.Feed) ? null : _options.Feed;

    /// <summary>The mirrors, when the options give a list (else null).</summary>
    private IReadOnlyList<string>? Mirrors => _options.Feeds.Count == 0 ? null : [.. _options.Feeds];

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var trust = TrustRoot.Load(_fileSystem, _options.TrustFile);
        var running = _options.RunningVersion ?? EntryVersion();
        var hostId = _options.HostId ?? HostIdentity.Default(_fileSystem);
        AgentLog.Started(_logger, _options.Target, running, _options.CheckInterval, _options.Jitter);
        if (!await SettleStartAsync(running, stoppingToken).ConfigureAwait(false))
        {
            _lifetime.StopApplication();
            return;
        }

        var schedule = new CheckSchedule(_options.CheckInterval, _options.Jitter, Random);
        string? etag = null;
        DateTimeOffset? pointerExpires = null;
        for (var first = true; !stoppingToken.IsCancellationRequested; first = false)
        {
            var delay = schedule.NextDelay(first);
            AgentLog.NextCheck(_logger, delay);
            await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
            if (pointerExpires is { } expires && _timeProvider.GetUtcNow() >= expires)
            {
                // Freeze defence: "not modified" cannot keep a pointer alive past its signed expiry.
                etag = null;
            }

            try
            {
                var check = await _client.CheckForUpdateAsync(
                    new UpdateCheckRequest { Feed = OneFeed, Feeds = Mirrors, Trust = trust, Target = Target.Folder(_options.Target), App = _options.App, Channel = _options.Channel, HostId = hostId, ETag = etag },
                    stoppingToken).ConfigureAwait(false);
                etag = check.ETag;
                pointerExpires = check.PointerExpires ?? pointerExpires;
                if (check.Outcome == UpdateCheckOutcome.NotModified)
                {
                    AgentLog.NotModified(_logger);
                }
                else
                {
                    AgentLog.Checked(_logger, check.Outcome, check.Version ?? "", check.RolloutPercent ?? 100);
                }
                if (check.Outcome == UpdateCheckOutcome.Available)
                {
                    if (await StageAndHandOffAsync(trust, hostId, stoppingToken).ConfigureAwait(false))
                    {
                        _lifetime.StopApplication();
                        return;
                    }

                    // Not handed off (no longer in the rollout, or the companion did not start): ask in full next time.
                    etag = null;
                }
            }
            catch (SecureUpdateException ex)
            {
                // Fail closed and stay up: the verified current version keeps running; the next check starts afresh.
                etag = null;
                AgentLog.CheckFailed(_logger, ex.Message);
            }
        }
    }

    /// <summary>Boot counting and health confirmation; false when this process should stop.</summary>
    private async Task<bool> SettleStartAsync(string running, CancellationToken cancellationToken)
    {
        StartupCheck start;
        try
        {
            start = await _client.RecordStartAsync(Target.Folder(_options.Target), running, cancellationToken).ConfigureAwait(false);
        }
        catch (NotInstalledException ex)
        {
            // Run from outside an installed target (a developer's build): nothing to confirm.
            AgentLog.CheckFailed(_logger, ex.Message);
            return true;
        }

        switch (start)
        {
            case StartupCheck.Reverted:
                AgentLog.Reverted(_logger, running);
                return false;
            case StartupCheck.AwaitingConfirmation:
                await Task.Delay(_options.ConfirmAfter, _timeProvider, cancellationToken).ConfigureAwait(false);
                if (_options.HealthCheck is { } healthCheck && !await healthCheck(cancellationToken).ConfigureAwait(false))
                {
                    // Revert now rather than when the window runs out; the waiting companion then restarts the previous version.
                    AgentLog.Unhealthy(_logger, running);
                    await _client.ReportUnhealthyAsync(Target.Folder(_options.Target), running, "its health check failed", cancellationToken).ConfigureAwait(false);
                    return false;
                }

                await _client.ConfirmHealthyAsync(Target.Folder(_options.Target), cancellationToken).ConfigureAwait(false);
                AgentLog.Confirmed(_logger, running);
                return true;
            default:
                return true;
        }
    }

    /// <summary>Stages the update while the agent runs and starts the companion; true when the host should now stop.</summary>
    private async Task<bool> StageAndHandOffAsync(TrustRoot trust, string hostId, CancellationToken cancellationToken)
    {
        var result = await _client.ApplyAsync(
            new ApplyRequest
            {
                Feed = OneFeed,
                Feeds = Mirrors,
                Trust = trust,
                Target = Target.Folder(_options.Target),
                App = _options.App,
                Channel = _options.Channel,
                StageOnly = true,
                HostId = hostId,
                Progress = new InlineProgress(p => AgentLog.Progress(_logger, p.Version, p.FilesDone, p.FilesTotal, p.BytesDone, p.BytesTotal)),
            },
            cancellationToken).ConfigureAwait(false);
        if (result.Outcome != ApplyOutcome.Staged)
        {
            return false;
        }

        var target = Path.GetFullPath(_options.Target);
        var log = _options.CompanionLogFile is { } file ? Path.GetFullPath(file) : null;
        var command = CompanionCommand.For(_options.CompanionPath, target, Environment.ProcessId, _options.RestartCommand, _options.ConfirmWithin, log);
        if (ShellCommand.StartDetached(command, target, result.Version) is { } failure)
        {
            AgentLog.CompanionFailed(_logger, failure);
            return false;
        }

        HandedOffVersion = result.Version;
        AgentLog.HandingOff(_logger, result.Version);
        return true;
    }

    private static string EntryVersion()
    {
        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
