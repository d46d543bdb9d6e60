using Microsoft.Extensions.Logging;
using SecureUpdate.Diagnostics;
using SecureUpdate.Install;

namespace SecureUpdate.Events;

/// <summary>
/// Records one audit event twice: as a hash-chained line in the target's <c>events.log</c>, and
/// as a source-generated log message (event id 300 or 301) for whatever collects the host's logs.
/// </summary>
internal sealed class AuditTrail
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public AuditTrail(TimeProvider timeProvider, ILogger logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Appends the event and logs it; failures are warnings, everything else information.</summary>
    public void Record(TargetPaths paths, string eventName, UpdateStage stage, ErrorCode? code, string? version, string detail, FallbackMode? fallback = null)
    {
        var mode = FallbackModeNames.ToName(fallback);
        if (code is { } failure)
        {
            UpdateLog.FailureEvent(_logger, eventName, stage, ErrorCodeNames.ToName(failure), mode, version, detail, paths.Root);
        }
        else
        {
            UpdateLog.Event(_logger, eventName, stage, mode, version, detail, paths.Root);
        }

        EventLog.Append(paths, _timeProvider, eventName, stage, code, version, detail, fallback);
    }
}
