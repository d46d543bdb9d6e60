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
                    ErrorCode = record.Code is { } code ? ErrorCodeNames.ToName(code) : null,
                    FallbackMode = FallbackModeNames.ToName(record.Fallback),
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

    /// <summary>Reads every event in order, streaming the file; a line that is not an event is reported as null.</summary>
    public IEnumerable<(string Line, EventDocument? Event)> Read(TargetLayout layout)
    {
        if (!_fileSystem.File.Exists(layout.Events))
        {
            yield break;
        }

        using var reader = new StreamReader(LocalFiles.OpenLocal(_fileSystem, layout.Events, "event log"));
        while (reader.ReadLine() is { } line)
        {
            EventDocument? parsed;
            try
            {
                parsed = StrictJson.Parse(System.Text.Encoding.UTF8.GetBytes(line), SecureUpdateJsonContext.Default.EventDocument);
            }
            catch (FormatException)
            {
                parsed = null;
            }

            yield return (line, parsed);
        }
    }

    /// <summary>Checks the chain and the head; returns null when intact, else where it breaks.</summary>
    public string? Verify(TargetLayout layout)
    {
        var previous = Genesis;
        long count = 0;
        foreach (var (line, parsed) in Read(layout))
        {
            count++;
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

            previous = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(line)));
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
            return count == 0 ? null : "events.head is missing";
        }

        if (head.Lines != count || !string.Equals(head.LastHash, previous, StringComparison.Ordinal))
        {
            return $"the log has {count} lines but its head records {head.Lines}: the newest lines were cut or replaced";
        }

        return null;
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
