using System.Security.Cryptography;
using SecureUpdate.Formats;
using SecureUpdate.Install;
using SecureUpdate.IO;

namespace SecureUpdate.Events;

/// <summary>
/// Appends audit events to <c>.secure-update/events.log</c>: one JSON line each, carrying the
/// SHA-256 of the line before it, so that editing or reordering lines breaks the chain; and
/// keeps <c>events.head</c> (line count and last hash) so that cutting the newest lines shows too.
/// </summary>
internal static class EventLog
{
    /// <summary>The <c>prev</c> of the first line.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int MaxHeadBytes = 4096;

    /// <summary>Appends one event and fsyncs it. Best effort: an audit failure never turns a safe outcome into an unsafe one.</summary>
    public static void Append(TargetPaths paths, TimeProvider timeProvider, string eventName, UpdateStage stage, ErrorCode? code, string? version, string detail, FallbackMode? fallback = null)
    {
        try
        {
            if (!Directory.Exists(paths.State))
            {
                return;
            }

            var head = ReadHead(paths);
            var line = StrictJson.WriteCompact(
                new EventDocument
                {
                    Time = timeProvider.GetUtcNow(),
                    Event = eventName,
                    Stage = stage.ToString().ToLowerInvariant(),
                    ErrorCode = code is { } c ? ErrorCodeNames.ToName(c) : null,
                    FallbackMode = FallbackModeNames.ToName(fallback),
                    Version = version,
                    Detail = detail,
                    Previous = head?.LastHash ?? Genesis,
                },
                SecureUpdateJsonContext.Default.EventDocument);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = DiskOperations.OwnerOnlyFile;
            }

            using (var stream = new FileStream(paths.Events, options))
            {
                stream.Write(line);
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }

            var next = new EventsHeadDocument { Schema = EventsHeadDocument.SchemaName, Lines = (head?.Lines ?? 0) + 1, LastHash = Convert.ToHexStringLower(SHA256.HashData(line)) };
            DiskOperations.WriteFileAtomic(paths.EventsHead, StrictJson.Write(next, SecureUpdateJsonContext.Default.EventsHeadDocument), DiskOperations.OwnerOnlyFile);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (SecureUpdateException)
        {
        }
    }

    /// <summary>Reads every event in order, streaming the file; a line that is not an event is reported as null.</summary>
    public static IEnumerable<(string Line, EventDocument? Event)> Read(TargetPaths paths)
    {
        if (!File.Exists(paths.Events))
        {
            yield break;
        }

        using var reader = new StreamReader(paths.Events);
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
    public static string? Verify(TargetPaths paths)
    {
        var previous = Genesis;
        long count = 0;
        foreach (var (line, parsed) in Read(paths))
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
            head = ReadHead(paths);
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

    private static EventsHeadDocument? ReadHead(TargetPaths paths)
    {
        if (!File.Exists(paths.EventsHead))
        {
            return null;
        }

        var bytes = LocalFiles.ReadCapped(new System.IO.Abstractions.FileSystem(), paths.EventsHead, MaxHeadBytes, "events head");
        try
        {
            var head = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.EventsHeadDocument);
            return head.Schema == EventsHeadDocument.SchemaName ? head : throw new FormatException("unknown schema");
        }
        catch (FormatException ex)
        {
            throw new VerificationException(ErrorCode.Malformed, UpdateStage.Verify, $"events.head is damaged: {ex.Message}.", ex);
        }
    }
}
