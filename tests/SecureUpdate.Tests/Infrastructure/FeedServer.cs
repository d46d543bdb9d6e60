using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 serving a feed folder by URL path, like any static file host,
/// with faults that tests arm per path (status codes, bodies cut short, endless and slow bodies)
/// and a log of every requested path. Like common static hosts it sends a strong ETag (from the
/// content) and answers a matching If-None-Match with an empty 304; <see cref="Requests"/> records
/// when each request arrived, from which client, and what it got.
/// </summary>
public sealed class FeedServer : IAsyncDisposable
{
    /// <summary>No misbehaving body runs longer than this, whatever the client does.</summary>
    private static readonly TimeSpan s_safetyCap = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private LoopbackHost? _host;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FeedFault> _faults = new(StringComparer.Ordinal);
    private readonly List<string> _requestLog = [];
    private readonly List<FeedRequest> _requests = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private FeedServer(string root)
    {
        _root = Path.GetFullPath(root);
    }

    /// <summary>The feed URL, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public string Url => _host!.Url;

    /// <summary>Every requested path (relative, no leading slash), in arrival order.</summary>
    public IReadOnlyList<string> RequestLog
    {
        get
        {
            lock (_lock)
            {
                return _requestLog.ToArray();
            }
        }
    }

    /// <summary>
    /// Every answered request in the order its response started: path, arrival time, client,
    /// whether it was conditional, status and announced length. A response starts before the
    /// client can see any of it, so a request whose answer the client has received is listed.
    /// </summary>
    public IReadOnlyList<FeedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Time since the server was created, on the clock <see cref="FeedRequest.At"/> uses.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Whether responses carry an ETag and If-None-Match is honoured (default true); false acts like a host without validators.</summary>
    public bool ETags { get; set; } = true;

    /// <summary>Starts a server for <paramref name="root"/> on a free loopback port.</summary>
    public static async Task<FeedServer> StartAsync(string root)
    {
        var server = new FeedServer(root);

        // The slow-drip fault is deliberately slower than Kestrel's default minimum rate.
        server._host = await LoopbackHost.StartAsync(server.HandleAsync, slowClientsAllowed: true);
        return server;
    }

    /// <summary>The next <paramref name="times"/> requests for <paramref name="path"/> get <paramref name="statusCode"/> and no body.</summary>
    public void RespondWithStatus(string path, int statusCode, int times) =>
        Arm(path, new FeedFault(FeedFaultKind.Status, times, statusCode));

    /// <summary>The next <paramref name="times"/> responses for <paramref name="path"/> announce the full length and stop at half.</summary>
    public void CutShort(string path, int times) => Arm(path, new FeedFault(FeedFaultKind.CutShort, times));

    /// <summary>Every response for <paramref name="path"/> is random bytes without end.</summary>
    public void ServeEndless(string path) => Arm(path, new FeedFault(FeedFaultKind.Endless, null));

    /// <summary>Every response for <paramref name="path"/> is the real body, one byte per <paramref name="interval"/> (default 500 ms).</summary>
    public void ServeSlowDrip(string path, TimeSpan? interval = null) =>
        Arm(path, new FeedFault(FeedFaultKind.SlowDrip, null, interval: interval ?? TimeSpan.FromMilliseconds(500)));

    /// <summary>Removes any fault armed on <paramref name="path"/>.</summary>
    public void ClearFault(string path)
    {
        lock (_lock)
        {
            _faults.Remove(Normalize(path));
        }
    }

    /// <summary>How many requests have arrived for <paramref name="path"/>.</summary>
    public int RequestCount(string path)
    {
        var normalized = Normalize(path);
        return RequestLog.Count(entry => entry == normalized);
    }

    /// <summary>Waits until a request for <paramref name="path"/> has arrived; false on timeout.</summary>
    public async Task<bool> WaitForRequestAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (RequestCount(path) > 0)
            {
                return true;
            }

            await Task.Delay(25);
        }

        return RequestCount(path) > 0;
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

    private void Arm(string path, FeedFault fault)
    {
        lock (_lock)
        {
            _faults[Normalize(path)] = fault;
        }
    }

    private FeedFault? TakeFault(string path)
    {
        lock (_lock)
        {
            if (!_faults.TryGetValue(path, out var fault))
            {
                return null;
            }

            if (fault.Remaining is { } remaining)
            {
                if (remaining <= 1)
                {
                    _faults.Remove(path);
                }
                else
                {
                    fault.Remaining = remaining - 1;
                }
            }

            return fault;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = Normalize(context.Request.Path.Value ?? "");
        var arrived = _clock.Elapsed;
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var conditional = context.Request.Headers.IfNoneMatch.Count > 0;
        var recorded = false;
        var aborted = false;
        lock (_lock)
        {
            _requestLog.Add(path);
        }

        void Record()
        {
            lock (_lock)
            {
                if (!recorded)
                {
                    recorded = true;
                    var status = aborted && !context.Response.HasStarted ? 0 : context.Response.StatusCode;
                    _requests.Add(new FeedRequest(path, arrived, userAgent, conditional, status, context.Response.ContentLength));
                }
            }
        }

        context.Response.OnStarting(() =>
        {
            Record();
            return Task.CompletedTask;
        });

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        cancellation.CancelAfter(s_safetyCap);
        try
        {
            await ServeAsync(context, path, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            aborted = true;
            context.Abort();
        }
        catch (IOException)
        {
            // The client went away mid-body: expected with endless and slow bodies.
            aborted = true;
            context.Abort();
        }
        finally
        {
            // A response without a body starts only after this handler returns, and an aborted one
            // never does: either is listed now (a later OnStarting finds it recorded).
            if (!context.Response.HasStarted)
            {
                Record();
            }
        }
    }

    private async Task ServeAsync(HttpContext context, string path, CancellationToken cancellationToken)
    {
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var fault = TakeFault(path);
        if (fault?.Kind == FeedFaultKind.Status)
        {
            response.StatusCode = fault.StatusCode;
            return;
        }

        if (fault?.Kind == FeedFaultKind.Endless)
        {
            await WriteEndlessAsync(response, cancellationToken);
            return;
        }

        var file = Resolve(path);
        if (file is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        if (ETags && fault is null)
        {
            var etag = EntityTag(bytes);
            response.Headers.ETag = etag;
            if (Matches(context.Request.Headers.IfNoneMatch.ToString(), etag))
            {
                // RFC 9110 13.1.2: a matching If-None-Match on GET or HEAD is answered 304, without a body.
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        response.ContentType = path.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/octet-stream";
        response.Headers.AcceptRanges = "bytes";

        if (fault?.Kind == FeedFaultKind.CutShort)
        {
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            await Task.Delay(50, cancellationToken);
            context.Abort();
            return;
        }

        if (fault?.Kind == FeedFaultKind.SlowDrip)
        {
            response.ContentLength = bytes.Length;
            await response.StartAsync(cancellationToken);
            for (var i = 0; i < bytes.Length; i++)
            {
                await response.Body.WriteAsync(bytes.AsMemory(i, 1), cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                await Task.Delay(fault.Interval, cancellationToken);
            }

            return;
        }

        var (offset, length) = (0, bytes.Length);
        if (TryParseRange(context.Request.Headers.Range.ToString(), bytes.Length, out var start, out var end))
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{end}/{bytes.Length}";
            (offset, length) = (start, end - start + 1);
        }

        response.ContentLength = length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes.AsMemory(offset, length), cancellationToken);
        }
    }

    private static async Task WriteEndlessAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "application/octet-stream";
        var chunk = new byte[16 * 1024];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RandomNumberGenerator.Fill(chunk);
            await response.Body.WriteAsync(chunk, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }

    /// <summary>A strong validator from the content, as static hosts derive one from the file.</summary>
    private static string EntityTag(byte[] bytes) => "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"";

    /// <summary>If-None-Match uses the weak comparison: <c>*</c>, or any listed tag equal to ours with or without <c>W/</c>.</summary>
    private static bool Matches(string ifNoneMatch, string etag)
    {
        foreach (var part in ifNoneMatch.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (tag == "*" || string.Equals(tag, etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A single range, <c>bytes=N-</c> or <c>bytes=N-M</c>, as any static file host honours it.</summary>
    private static bool TryParseRange(string header, int length, out int start, out int end)
    {
        start = 0;
        end = 0;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var parts = header["bytes=".Length..].Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out start) || start >= length)
        {
            return false;
        }

        end = length - 1;
        if (parts[1].Length > 0)
        {
            if (!int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var requestedEnd) || requestedEnd < start)
            {
                return false;
            }

            end = Math.Min(requestedEnd, length - 1);
        }

        return true;
    }

    private string? Resolve(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }

        return full;
    }
}
