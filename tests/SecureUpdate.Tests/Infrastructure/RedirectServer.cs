using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that answers every request with a redirect (302) to the
/// location a test chooses for the requested path, and logs the paths it was asked for: a hostile
/// or misconfigured feed host sending clients somewhere else.
/// </summary>
public sealed class RedirectServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<string, string> _location;
    private readonly Lock _lock = new();
    private readonly List<string> _requestLog = [];

    private RedirectServer(WebApplication app, Func<string, string> location)
    {
        _app = app;
        _location = location;
    }

    /// <summary>The server's URL, e.g. <c>http://127.0.0.1:40123</c> (no trailing slash).</summary>
    public string Url { get; private set; } = "";

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
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);
        var app = builder.Build();
        var server = new RedirectServer(app, location);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using (var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(shutdown.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.DisposeAsync();
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
