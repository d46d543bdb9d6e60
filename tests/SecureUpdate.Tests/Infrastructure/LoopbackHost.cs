using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// The one way the test servers start: a real Kestrel on 127.0.0.1, on a free port, over HTTP or (given a certificate)
/// HTTPS, answering every request with one handler, without logging or a Server header; stopped within a few seconds
/// however its requests behave.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The server's URL, e.g. <c>http://127.0.0.1:40123</c> or <c>https://…</c> (no trailing slash).</summary>
    public string Url { get; }

    /// <summary>
    /// Starts a server that answers with <paramref name="handle"/>; <paramref name="slowClientsAllowed"/> lifts Kestrel's
    /// minimum response rate (for bodies dripped on purpose); with <paramref name="certificate"/> (holding its private
    /// key) it speaks TLS.
    /// </summary>
    public static async Task<LoopbackHost> StartAsync(RequestDelegate handle, bool slowClientsAllowed = false, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => Configure(options, slowClientsAllowed, certificate));
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return new LoopbackHost(app, url);
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

    private static void Configure(KestrelServerOptions options, bool slowClientsAllowed, X509Certificate2? certificate)
    {
        options.AddServerHeader = false;
        options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        });
        if (slowClientsAllowed)
        {
            options.Limits.MinResponseDataRate = null;
        }
    }
}
