using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A real Kestrel server on 127.0.0.1 that answers every request with one status and no body (a mirror that is down behind its proxy), counting requests.</summary>
public sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _statusCode;
    private int _requests;

    private StatusServer(WebApplication app, int statusCode)
    {
        _app = app;
        _statusCode = statusCode;
    }

    /// <summary>The server's URL (no trailing slash).</summary>
    public string Url { get; private set; } = "";

    /// <summary>How many requests arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts a server answering <paramref name="statusCode"/> to everything.</summary>
    public static async Task<StatusServer> StartAsync(int statusCode)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);
        var app = builder.Build();
        var server = new StatusServer(app, statusCode);
        app.Run(context =>
        {
            Interlocked.Increment(ref server._requests);
            context.Response.StatusCode = server._statusCode;
            return Task.CompletedTask;
        });
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
}
