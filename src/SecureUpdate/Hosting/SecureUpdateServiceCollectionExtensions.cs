using System.IO.Abstractions;
using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SecureUpdate;
using SecureUpdate.Hosting;
using SecureUpdate.Publishing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SecureUpdate with dependency injection.</summary>
public static class SecureUpdateServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="UpdateClient"/>, <see cref="ReleasePublisher"/>, the feed HttpClient with its
    /// Polly policies, and (unless already registered) <see cref="TimeProvider"/> and <see cref="IFileSystem"/>.
    /// </summary>
    public static IServiceCollection AddSecureUpdate(this IServiceCollection services, Action<SecureUpdateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new SecureUpdateOptions();
        configure?.Invoke(options);

        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFileSystem, FileSystem>();
        services
            .AddHttpClient(SecureUpdateOptions.HttpClientName, client =>
            {
                // Deadlines are ours (per try, per stall, overall); the client's single timeout would cut large downloads.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("secure-update/1");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Redirects to mirrors are fine (authenticity never depends on the host); .NET never follows https to http.
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 5,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                UseCookies = false,
            })
            .AddPolicyHandler(HttpPolicies.Retry(options))
            .AddPolicyHandler(HttpPolicies.PerTryTimeout(options));
        services.TryAddSingleton<UpdateClient>();
        services.TryAddSingleton<ReleasePublisher>();
        return services;
    }
}
