using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SelfContained;

/// <summary>A real Kestrel HTTPS server on 127.0.0.1 (a <see cref="LoopbackHost"/>) serving a folder by URL path, with a given certificate.</summary>
internal sealed class HttpsFolderServer : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private HttpsFolderServer(LoopbackHost host)
    {
        _host = host;
    }

    /// <summary>The base address, <c>https://127.0.0.1:PORT</c>.</summary>
    public string Url => _host.Url;

    /// <summary>Starts serving <paramref name="root"/> over TLS with <paramref name="certificate"/> (which holds its private key).</summary>
    public static async Task<HttpsFolderServer> StartAsync(string root, X509Certificate2 certificate)
    {
        var full = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        var host = await LoopbackHost.StartAsync(
            async context =>
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
            },
            certificate: certificate);
        return new HttpsFolderServer(host);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
