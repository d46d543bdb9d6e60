using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Install;
using SecureUpdate.Platform;

namespace SecureUpdate.Events;

/// <summary>
/// Appends audit events to a target's <c>events.log</c>: one JSON line each, carrying the SHA-256
/// of the line before it, so that editing or reordering lines breaks the chain; and keeps
/// <c>events.head</c> (line count and last hash) so that cutting the newest lines shows too.
/// </summary>
internal sealed class EventLog
{
    /// <summary>The <c>prev</c> of the first line.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int MaxHeadBytes = 4096;

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly TimeProvider _timeProvider;

    public EventLog(IFileSystem fileSystem, DiskOperations disk, TimeProvider timeProvider)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _timeProvider = timeProvider;
    }

    /// <summary>Appends one event and fsyncs it. Best effort: an audit failure never turns a safe outcome into an unsafe one.</summary>
    public void Append(TargetLayout layout, AuditRecord record)
    {
        try
        {
            if (!_fileSystem.Directory.Exists(layout.State))
            {
                return;
            }

            var head = ReadHead(layout);
            var line = StrictJson.WriteCompact(
                new EventDocument
                {
                    Time = _timeProvider.GetUtcNow(),
                    Event = record.Name,
                    Stage = record.Stage.ToString().ToLowerInvariant(),
                    ErrorCode = record.Code is { } code ? (int)code : null,
                    ErrorName = record.Code is { } named ? ErrorCodeNames.ToName(named) : null,
                    FallbackMode = FallbackModeName(record.Fallback),
                    Version = record.Version,
                    Detail = record.Detail,
                    Previous = head?.LastHash ?? Genesis,
                },
                SecureUpdateJsonContext.Default.EventDocument);
            _disk.AppendDurably(layout.Events, line);
            var next = new EventsHeadDocument { Schema = EventsHeadDocument.SchemaName, Lines = (head?.Lines ?? 0) + 1, LastHash = Convert.ToHexStringLower(SHA256.HashData(line)) };
            _disk.WriteFileAtomic(layout.EventsHead, StrictJson.Write(next, SecureUpdateJsonContext.Default.EventsHeadDocument), DiskOperations.OwnerOnlyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecureUpdateException)
        {
            // The outcome stands; only its record is missing.
        }
    }

    /// <summary>The log's name of a fallback mode: snake_case, as the failure-log format promises (the <c>--fallback</c> values use hyphens).</summary>
    public static string FallbackModeName(FallbackMode? mode) => mode switch
    {
        FallbackMode.HardReset => "hard_reset",
        FallbackMode.DebugShell => "debug_shell",
        FallbackMode.HashAllowlist => "hash_allowlist",
        _ => "none",
    };

    /// <summary>
    /// Reads every event in order, streaming the file with bounded memory; a line that is not an
    /// event is reported with a null event; a line over <see cref="EventLineReader.MaxLineBytes"/>
    /// is reported with a null line, and ends the reading.
    /// </summary>
    public IEnumerable<(byte[]? Line, EventDocument? Event)> Read(TargetLayout layout)
    {
        if (!_fileSystem.File.Exists(layout.Events))
        {
            yield break;
        }

        using var stream = LocalFiles.OpenLocal(_fileSystem, layout.Events, "event log");
        foreach (var line in EventLineReader.ReadLines(stream))
        {
            yield return (line, line is null ? null : Parse(line));
        }
    }

    /// <summary>
    /// Checks the chain and the head; returns null when intact, else where it breaks. A target that
    /// has an installed version has events, so for it a missing or empty log is broken too.
    /// </summary>
    public string? Verify(TargetLayout layout, bool hasInstalledVersion)
    {
        var previous = Genesis;
        long count = 0;
        foreach (var (line, parsed) in Read(layout))
        {
            count++;
            if (line is null)
            {
                return Error.AuditLineTooLong(count, EventLineReader.MaxLineBytes);
            }

            if (parsed is null)
            {
                return $"line {count} is not an event";
            }

            if (!string.Equals(parsed.Previous, previous, StringComparison.Ordinal))
            {
                return count == 1
                    ? "line 1 does not start the chain: lines before it were removed"
                    : $"line {count} does not follow line {count - 1}: a line was edited, removed or moved";
            }

            previous = Convert.ToHexStringLower(SHA256.HashData(line));
        }

        EventsHeadDocument? head;
        try
        {
            head = ReadHead(layout);
        }
        catch (SecureUpdateException ex)
        {
            return ex.Message;
        }

        if (head is null)
        {
            if (count > 0)
            {
                return "events.head is missing";
            }

            // Threat: hiding what happened by removing both files. Installing always records an event.
            return hasInstalledVersion
                ? Error.AuditLogMissing(_fileSystem.File.Exists(layout.Events) ? "events.log is empty and events.head is missing" : "events.log and events.head are missing")
                : null;
        }

        if (head.Lines != count || !string.Equals(head.LastHash, previous, StringComparison.Ordinal))
        {
            return count == 0
                ? $"events.log is {(_fileSystem.File.Exists(layout.Events) ? "empty" : "missing")} but its head records {head.Lines} lines: the log was removed or emptied"
                : $"the log has {count} lines but its head records {head.Lines}: the newest lines were cut or replaced";
        }

        return null;
    }

    /// <summary>A line as an event in the current format, or one written before error codes were integers, or null.</summary>
    private static EventDocument? Parse(byte[] line)
    {
        try
        {
            return StrictJson.Parse(line, SecureUpdateJsonContext.Default.EventDocument);
        }
        catch (FormatException)
        {
        }

        try
        {
            var old = StrictJson.Parse(line, SecureUpdateJsonContext.Default.LegacyEventDocument);
            int? code = ErrorCodeNames.TryParse(old.ErrorCode, out var known) ? (int)known : null;
            return new EventDocument
            {
                Time = old.Time,
                Event = old.Event,
                Stage = old.Stage,
                ErrorCode = code,
                ErrorName = old.ErrorCode,
                FallbackMode = old.FallbackMode.Replace('-', '_'),
                Version = old.Version,
                Detail = old.Detail,
                Previous = old.Previous,
            };
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private EventsHeadDocument? ReadHead(TargetLayout layout)
    {
        if (!_fileSystem.File.Exists(layout.EventsHead))
        {
            return null;
        }

        var bytes = LocalFiles.ReadCapped(_fileSystem, layout.EventsHead, MaxHeadBytes, "events head");
        try
        {
            var head = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.EventsHeadDocument);
            return head.Schema == EventsHeadDocument.SchemaName ? head : throw new FormatException("unknown schema");
        }
        catch (FormatException ex)
        {
            throw Error.EventsHeadDamaged(ex);
        }
    }
}
