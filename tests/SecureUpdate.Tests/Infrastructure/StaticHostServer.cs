using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 serving a feed folder like a plain static host without ETags:
/// it sends <c>Last-Modified</c> (the file's modification time) and answers a request whose
/// <c>If-Modified-Since</c> is not older with an empty 304. With <see cref="GzipDocuments"/> it serves
/// documents (<c>.json</c>, <c>.sig</c>) gzip-encoded to clients that accept gzip, as a server with
/// on-the-fly compression does; a test can replace one path's response with any Content-Encoding and
/// body (<see cref="ServeEncoded"/>). <see cref="Requests"/> records what each request asked and got.
/// </summary>
public sealed class StaticHostServer : IAsyncDisposable
{
    /// <summary>No body runs longer than this, whatever the client does.</summary>
    private static readonly TimeSpan s_safetyCap = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private LoopbackHost? _host;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<HostedRequest> _requests = [];
    private readonly Dictionary<string, (string Encoding, Func<Stream, CancellationToken, Task> Body)> _encoded = new(StringComparer.Ordinal);

    private StaticHostServer(string root)
    {
        _root = Path.GetFullPath(root);
    }

    /// <summary>The server's URL, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public string Url => _host!.Url;

    /// <summary>Whether <c>.json</c> and <c>.sig</c> files are sent gzip-encoded to clients that send <c>Accept-Encoding: gzip</c>.</summary>
    public bool GzipDocuments { get; set; }

    /// <summary>Every answered request, in the order its response started; <see cref="HostedRequest.BytesSent"/> is final once its handler has ended.</summary>
    public IReadOnlyList<HostedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Starts a server for <paramref name="root"/> on a free loopback port.</summary>
    public static async Task<StaticHostServer> StartAsync(string root)
    {
        var server = new StaticHostServer(root);
        server._host = await LoopbackHost.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>Every response for <paramref name="path"/> carries <c>Content-Encoding: <paramref name="encoding"/></c> and the body <paramref name="body"/> writes.</summary>
    public void ServeEncoded(string path, string encoding, Func<Stream, CancellationToken, Task> body)
    {
        lock (_lock)
        {
            _encoded[path.TrimStart('/')] = (encoding, body);
        }
    }

    /// <summary>A body that never ends: the same gzip member of 64 MiB of zeros, again and again (gzip decoders read concatenated members as one stream).</summary>
    public static Func<Stream, CancellationToken, Task> EndlessGzipBomb()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }

        var member = compressed.ToArray();
        return async (body, cancellationToken) =>
        {
            while (true)
            {
                // Kestrel completes writes after the client has gone without sending them: stop on the abort
                // itself, and yield so that a loop of such writes cannot keep the abort from being noticed.
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
                await body.WriteAsync(member, cancellationToken);
                await body.FlushAsync(cancellationToken);
            }
        };
    }

    /// <summary>A gzip body of exactly <paramref name="bytes"/>.</summary>
    public static Func<Stream, CancellationToken, Task> Gzip(byte[] bytes) => async (body, cancellationToken) =>
    {
        var compressed = Compress(bytes);
        await body.WriteAsync(compressed, cancellationToken);
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _stopping.Dispose();
    }

    private static byte[] Compress(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "").TrimStart('/');
        long sent = 0;
        var index = -1;

        // Recorded when the response starts, not when the handler ends: a client that has read a whole
        // body moves on before this handler returns, and a test that counts requests between two of its
        // own steps would otherwise see the end of one step's last request in the next.
        void Record()
        {
            lock (_lock)
            {
                var request = new HostedRequest(
                    path,
                    context.Response.StatusCode,
                    context.Request.Headers.AcceptEncoding.ToString(),
                    context.Request.Headers.IfModifiedSince.ToString(),
                    context.Response.Headers.ContentEncoding.ToString(),
                    sent);
                if (index < 0)
                {
                    index = _requests.Count;
                    _requests.Add(request);
                }
                else
                {
                    _requests[index] = request;
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
            await ServeAsync(context, path, count => sent += count, cancellation.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away mid-body: expected once it has read enough of an endless one.
            context.Abort();
        }
        finally
        {
            // Again at the end, now with the body's bytes (or first, for a response that never started).
            Record();
        }
    }

    private async Task ServeAsync(HttpContext context, string path, Action<long> counted, CancellationToken cancellationToken)
    {
        var response = context.Response;
        (string Encoding, Func<Stream, CancellationToken, Task> Body) encoded;
        bool hasEncoded;
        lock (_lock)
        {
            hasEncoded = _encoded.TryGetValue(path, out encoded);
        }

        if (hasEncoded)
        {
            response.Headers.ContentEncoding = encoded.Encoding;
            await response.StartAsync(cancellationToken);
            await encoded.Body(new CountingStream(response.Body, counted), cancellationToken);
            return;
        }

        var file = Path.GetFullPath(Path.Combine(_root, path));
        if (path.Length == 0 || !file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // HTTP dates have whole seconds.
        var modified = File.GetLastWriteTimeUtc(file);
        modified = modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond));
        response.Headers.LastModified = modified.ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        if (DateTime.TryParseExact(context.Request.Headers.IfModifiedSince.ToString(), "r", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var since) && modified <= since)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        var document = path.EndsWith(".json", StringComparison.Ordinal) || path.EndsWith(".sig", StringComparison.Ordinal);
        if (GzipDocuments && document && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal))
        {
            bytes = Compress(bytes);
            response.Headers.ContentEncoding = "gzip";
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
        counted(bytes.Length);
    }
}
