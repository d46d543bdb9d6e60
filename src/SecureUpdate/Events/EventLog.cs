using System.Security.Cryptography;
using System.Text;
using SecureUpdate.Formats;
using SecureUpdate.Install;
using SecureUpdate.IO;

namespace SecureUpdate.Events;

/// <summary>
/// Appends audit events to <c>.secure-update/events.log</c>: one JSON line each, carrying the
/// SHA-256 of the line before it, so that editing, reordering or cutting lines is detectable.
/// </summary>
internal static class EventLog
{
    /// <summary>The <c>prev</c> of the first line.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Appends one event and fsyncs it. Best effort: an audit failure never turns a safe outcome into an unsafe one.</summary>
    public static void Append(TargetPaths paths, TimeProvider timeProvider, string eventName, UpdateStage stage, ErrorCode? code, string? version, string detail)
    {
        try
        {
            if (!Directory.Exists(paths.State))
            {
                return;
            }

            var previous = LastLineHash(paths.Events);
            var line = StrictJson.WriteCompact(
                new EventDocument
                {
                    Time = timeProvider.GetUtcNow(),
                    Event = eventName,
                    Stage = stage.ToString().ToLowerInvariant(),
                    ErrorCode = code is { } c ? ErrorCodeNames.ToName(c) : null,
                    FallbackMode = "none",
                    Version = version,
                    Detail = detail,
                    Previous = previous,
                },
                SecureUpdateJsonContext.Default.EventDocument);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = DiskOperations.OwnerOnlyFile;
            }

            using var stream = new FileStream(paths.Events, options);
            stream.Write(line);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string LastLineHash(string path)
    {
        if (!File.Exists(path))
        {
            return Genesis;
        }

        // Only the tail is read: the log grows for the life of the target.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = stream.Length;
        var tail = (int)Math.Min(length, 64 * 1024);
        var buffer = new byte[tail];
        stream.Seek(-tail, SeekOrigin.End);
        stream.ReadExactly(buffer);
        var end = buffer.Length;
        while (end > 0 && buffer[end - 1] == (byte)'\n')
        {
            end--;
        }

        if (end == 0)
        {
            return Genesis;
        }

        var start = Array.LastIndexOf(buffer, (byte)'\n', end - 1) + 1;
        return Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(start, end - start)));
    }
}
