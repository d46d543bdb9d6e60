using Microsoft.Extensions.Logging;
using SecureUpdate.Configuration;
using SecureUpdate.Diagnostics;
using SecureUpdate.Errors;
using SecureUpdate.Install;

namespace SecureUpdate.Events;

/// <summary>
/// Records one audit event twice: as a hash-chained line in the target's <c>events.log</c>, and
/// as a source-generated log message (event id 300 or 301) for whatever collects the host's logs.
/// </summary>
internal sealed class AuditTrail : IAuditTrail
{
    private readonly EventLog _log;
    private readonly ILogger _logger;

    public AuditTrail(EventLog log, ILogger logger)
    {
        _log = log;
        _logger = logger;
    }

    /// <summary>Appends the event and logs it; failures are warnings, everything else information.</summary>
    public void Record(TargetLayout layout, AuditRecord record)
    {
        // The same names as the line in events.log, so that a log collector and the file agree.
        var mode = EventLog.FallbackModeName(record.Fallback);
        if (record.Code is { } failure)
        {
            UpdateLog.FailureEvent(_logger, record.Name, record.Stage, ErrorCodeNames.ToName(failure), mode, record.Version, record.Detail, layout.Root);
        }
        else
        {
            UpdateLog.Event(_logger, record.Name, record.Stage, mode, record.Version, record.Detail, layout.Root);
        }

        _log.Append(layout, record);
    }
}
