using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SecureUpdate.Tests.SelfContained;

/// <summary>A real Kestrel HTTPS server on 127.0.0.1 serving a folder by URL path, with a given certificate.</summary>
internal sealed class HttpsFolderServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpsFolderServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base address, <c>https://127.0.0.1:PORT</c>.</summary>
    public string Url { get; }

    /// <summary>Starts serving <paramref name="root"/> over TLS with <paramref name="certificate"/> (which holds its private key).</summary>
    public static async Task<HttpsFolderServer> StartAsync(string root, X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });

        var app = builder.Build();
        var full = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        app.Run(async context =>
        {
            var path = Path.GetFullPath(Path.Combine(full, Uri.UnescapeDataString(context.Request.Path.Value ?? "").TrimStart('/')));
            if (!path.StartsWith(full, StringComparison.Ordinal) || !File.Exists(path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var bytes = await File.ReadAllBytesAsync(path, context.RequestAborted);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        });
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HttpsFolderServer(app, address.TrimEnd('/'));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
