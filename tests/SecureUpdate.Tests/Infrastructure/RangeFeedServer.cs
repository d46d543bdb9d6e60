using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 serving a feed folder the way a static host such as nginx does for
/// resumed downloads: a validator per file (an ETag made of the file's modification time and size, or
/// only a Last-Modified date), single <c>Range: bytes=N-</c> requests answered 206 with a
/// <c>Content-Range</c>, and <c>If-Range</c> honoured (a validator that no longer matches gets the whole
/// file, 200). Tests can make it ignore Range, answer a range with a wrong Content-Range, slow a path
/// down, or drop the connection once a path's body reaches a byte offset; it counts the body bytes it
/// wrote per path and records every request with its Range and If-Range.
/// </summary>
public sealed class RangeFeedServer : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly string _root;
    private LoopbackHost? _host;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _bytesServed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Offset, int Times)> _drops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _slow = new(StringComparer.Ordinal);
    private readonly List<RangeRequest> _requests = [];
    private int _inFlight;

    private RangeFeedServer(string root)
    {
        _root = Path.GetFullPath(root);
    }

    /// <summary>The feed URL, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public string Url => _host!.Url;

    /// <summary>Whether responses carry an ETag (default true); false sends only Last-Modified.</summary>
    public bool ETags { get; set; } = true;

    /// <summary>Answers every request with the whole file (200), as a host without range support does.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Answers a range request with 206 and a Content-Range that starts one byte later than asked (a broken or hostile host).</summary>
    public bool WrongContentRange { get; set; }

    /// <summary>Every answered request, in arrival order.</summary>
    public IReadOnlyList<RangeRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    public static async Task<RangeFeedServer> StartAsync(string root)
    {
        var server = new RangeFeedServer(root);

        // The slow-drip fault is deliberately slower than Kestrel's default minimum rate.
        server._host = await LoopbackHost.StartAsync(server.HandleAsync, slowClientsAllowed: true);
        return server;
    }

    /// <summary>Body bytes written for <paramref name="path"/> so far (all requests).</summary>
    public long BytesServed(string path)
    {
        lock (_lock)
        {
            return _bytesServed.GetValueOrDefault(Normalize(path));
        }
    }

    /// <summary>The requests for <paramref name="path"/>.</summary>
    public IReadOnlyList<RangeRequest> RequestsFor(string path) => Requests.Where(request => request.Path == Normalize(path)).ToArray();

    /// <summary>The validator the server gives for <paramref name="path"/> now: its ETag, or its Last-Modified date without ETags.</summary>
    public string ValidatorOf(string path)
    {
        var (etag, lastModified) = Validators(Path.Combine(_root, Normalize(path)));
        return ETags ? etag : lastModified;
    }

    /// <summary>Waits until no request is being answered (a killed client's request ends when the server notices); false on timeout.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref _inFlight) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>Forgets the byte counts and the request log (between two runs).</summary>
    public void ResetCounts()
    {
        lock (_lock)
        {
            _bytesServed.Clear();
            _requests.Clear();
        }
    }

    /// <summary>The next <paramref name="times"/> bodies for <paramref name="path"/> stop, and the connection drops, once the file's byte <paramref name="offset"/> is reached.</summary>
    public void DropAt(string path, long offset, int times = 1)
    {
        lock (_lock)
        {
            _drops[Normalize(path)] = (offset, times);
        }
    }

    /// <summary>Bodies for <paramref name="path"/> pause <paramref name="pause"/> after every 64 KiB (null: full speed).</summary>
    public void Slow(string path, TimeSpan? pause)
    {
        lock (_lock)
        {
            if (pause is { } value)
            {
                _slow[Normalize(path)] = value;
            }
            else
            {
                _slow.Remove(Normalize(path));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _stopping.Dispose();
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');

    private async Task HandleAsync(HttpContext context)
    {
        var path = Normalize(context.Request.Path.Value ?? "");
        var range = context.Request.Headers.Range.ToString();
        var ifRange = context.Request.Headers.IfRange.ToString();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        cancellation.CancelAfter(TimeSpan.FromSeconds(60));
        var status = 0;
        Interlocked.Increment(ref _inFlight);
        try
        {
            status = await ServeAsync(context, path, range, ifRange, cancellation.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            context.Abort();
        }
        finally
        {
            lock (_lock)
            {
                _requests.Add(new RangeRequest(path, range, ifRange, status == 0 ? context.Response.StatusCode : status));
            }

            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<int> ServeAsync(HttpContext context, string path, string range, string ifRange, CancellationToken cancellationToken)
    {
        var response = context.Response;
        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (path.Length == 0 || !full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return response.StatusCode;
        }

        var bytes = await File.ReadAllBytesAsync(full, cancellationToken);
        var (etag, lastModified) = Validators(full);
        var validator = ETags ? etag : lastModified;
        if (ETags)
        {
            response.Headers.ETag = etag;
        }

        response.Headers.LastModified = lastModified;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = "application/octet-stream";

        long start = 0;
        if (!IgnoreRange && TryParseStart(range, bytes.Length, out var asked) && (ifRange.Length == 0 || ifRange == validator))
        {
            start = asked;
            response.StatusCode = StatusCodes.Status206PartialContent;
            var claimed = WrongContentRange ? start + 1 : start;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {claimed}-{bytes.Length - 1}/{bytes.Length}");
        }

        response.ContentLength = bytes.Length - start;
        await response.StartAsync(cancellationToken);
        var (dropAt, pause) = TakeFaults(path);
        for (var position = start; position < bytes.Length;)
        {
            var end = Math.Min(bytes.Length, position + ChunkSize);
            if (dropAt is { } drop && end > drop)
            {
                end = Math.Max(position, drop);
            }

            if (end > position)
            {
                await response.Body.WriteAsync(bytes.AsMemory((int)position, (int)(end - position)), cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                lock (_lock)
                {
                    _bytesServed[path] = _bytesServed.GetValueOrDefault(path) + (end - position);
                }

                position = end;
            }

            if (dropAt is { } reached && position >= reached)
            {
                // Give the client the bytes already sent, then cut the connection mid-body.
                await Task.Delay(100, cancellationToken);
                context.Abort();
                return response.StatusCode;
            }

            if (pause is { } delay)
            {
                await Task.Delay(delay, cancellationToken);
            }
        }

        return response.StatusCode;
    }

    private (long? DropAt, TimeSpan? Pause) TakeFaults(string path)
    {
        lock (_lock)
        {
            long? dropAt = null;
            if (_drops.TryGetValue(path, out var drop))
            {
                dropAt = drop.Offset;
                if (drop.Times <= 1)
                {
                    _drops.Remove(path);
                }
                else
                {
                    _drops[path] = (drop.Offset, drop.Times - 1);
                }
            }

            return (dropAt, _slow.TryGetValue(path, out var pause) ? pause : null);
        }
    }

    /// <summary>nginx's ETag (modification time and size, in hex) and the Last-Modified date of a file.</summary>
    private static (string ETag, string LastModified) Validators(string file)
    {
        var info = new FileInfo(file);
        var modified = info.LastWriteTimeUtc;
        var seconds = new DateTimeOffset(modified.Ticks - (modified.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return (string.Create(CultureInfo.InvariantCulture, $"\"{seconds.ToUnixTimeSeconds():x}-{info.Length:x}\""), seconds.ToString("r", CultureInfo.InvariantCulture));
    }

    /// <summary>A single <c>bytes=N-</c> range starting inside the file.</summary>
    private static bool TryParseStart(string header, long length, out long start)
    {
        start = 0;
        return header.StartsWith("bytes=", StringComparison.Ordinal)
            && header.EndsWith('-')
            && long.TryParse(header.AsSpan("bytes=".Length, header.Length - "bytes=".Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && start < length;
    }
}
