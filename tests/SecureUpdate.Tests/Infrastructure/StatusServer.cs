using Microsoft.AspNetCore.Http;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 that answers every request with one status and no body (a mirror that is down behind its proxy), counting requests.</summary>
public sealed class StatusServer : IAsyncDisposable
{
    private LoopbackHost? _host;
    private readonly int _statusCode;
    private int _requests;

    private StatusServer(int statusCode)
    {
        _statusCode = statusCode;
    }

    /// <summary>The server's URL (no trailing slash).</summary>
    public string Url => _host!.Url;

    /// <summary>How many requests arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts a server answering <paramref name="statusCode"/> to everything.</summary>
    public static async Task<StatusServer> StartAsync(int statusCode)
    {
        var server = new StatusServer(statusCode);
        server._host = await LoopbackHost.StartAsync(context =>
        {
            Interlocked.Increment(ref server._requests);
            context.Response.StatusCode = server._statusCode;
            return Task.CompletedTask;
        });
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
