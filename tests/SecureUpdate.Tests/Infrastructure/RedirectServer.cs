using Microsoft.AspNetCore.Http;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that answers every request with a redirect (302) to the
/// location a test chooses for the requested path, and logs the paths it was asked for: a hostile
/// or misconfigured feed host sending clients somewhere else.
/// </summary>
public sealed class RedirectServer : IAsyncDisposable
{
    private LoopbackHost? _host;
    private readonly Func<string, string> _location;
    private readonly Lock _lock = new();
    private readonly List<string> _requestLog = [];

    private RedirectServer(Func<string, string> location)
    {
        _location = location;
    }

    /// <summary>The server's URL, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
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

    /// <summary>Starts a server whose answer to a path (relative, no leading slash) is a redirect to <paramref name="location"/>'s result.</summary>
    public static async Task<RedirectServer> StartAsync(Func<string, string> location)
    {
        var server = new RedirectServer(location);
        server._host = await LoopbackHost.StartAsync(server.HandleAsync);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "").TrimStart('/');
        lock (_lock)
        {
            _requestLog.Add(path);
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = _location(path);
        return Task.CompletedTask;
    }
}
