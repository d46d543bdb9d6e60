using System.IO.Abstractions;
using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureUpdate;
using SecureUpdate.Configuration;
using SecureUpdate.Hosting;
using SecureUpdate.Platform;
using SecureUpdate.Publishing;
using SecureUpdate.Trust;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SecureUpdate with dependency injection.</summary>
public static class SecureUpdateServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="UpdateClient"/>, <see cref="ReleasePublisher"/>, <see cref="KeyGenerator"/>,
    /// <see cref="Pkcs11KeyGenerator"/>, <see cref="TrustPublisher"/>, <see cref="Cosigner"/>, <see cref="BinarySigner"/>, an
    /// <see cref="IKeyPassphraseProvider"/> (the environment variable), the feed HttpClient with its
    /// Polly policies, validated <see cref="SecureUpdateOptions"/>, and (unless already registered)
    /// <see cref="TimeProvider"/> and <see cref="IFileSystem"/>. Everything is added with <c>TryAdd</c>,
    /// so a host can register its own first.
    /// </summary>
    public static IServiceCollection AddSecureUpdate(this IServiceCollection services, Action<SecureUpdateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<SecureUpdateOptions>().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecureUpdateOptions>, SecureUpdateOptionsValidator>());
        services.TryAddSingleton(provider => ValidatedOptions(provider));
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
                // Redirects to mirrors are fine (authenticity never depends on the host), but HttpFeedSource
                // follows them itself, so that each hop is checked (scheme, plain HTTP to loopback only) before connecting.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                ConnectCallback = TcpConnector.ConnectAsync,
                UseCookies = false,
            })
            .AddPolicyHandler((provider, _) => HttpPolicies.Retry(provider.GetRequiredService<SecureUpdateOptions>()))
            .AddPolicyHandler((provider, _) => HttpPolicies.PerTryTimeout(provider.GetRequiredService<SecureUpdateOptions>()));
        services.TryAddSingleton<DiskOperations>();
        services.TryAddSingleton(provider => new UpdateClient(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IFileSystem>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<SecureUpdateOptions>(),
            provider.GetRequiredService<DiskOperations>(),
            provider.GetService<ILogger<UpdateClient>>()));
        services.TryAddSingleton<IKeyPassphraseProvider, EnvironmentPassphraseProvider>();
        services.TryAddSingleton(provider => new ReleasePublisher(provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<DiskOperations>(), provider.GetRequiredService<IKeyPassphraseProvider>(), provider.GetService<ILogger<ReleasePublisher>>()));
        services.TryAddSingleton(provider => new KeyGenerator(provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<DiskOperations>(), provider.GetService<ILogger<KeyGenerator>>()));
        services.TryAddSingleton(provider => new TrustPublisher(provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<DiskOperations>()));
        services.TryAddSingleton(provider => new Cosigner(provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<DiskOperations>(), provider.GetRequiredService<IKeyPassphraseProvider>(), provider.GetService<ILogger<Cosigner>>()));
        services.TryAddSingleton(provider => new BinarySigner(provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<DiskOperations>(), provider.GetRequiredService<IKeyPassphraseProvider>(), provider.GetService<ILogger<BinarySigner>>()));
        services.TryAddSingleton(provider => new Pkcs11KeyGenerator(provider.GetRequiredService<IFileSystem>(), provider.GetRequiredService<DiskOperations>(), provider.GetService<ILogger<Pkcs11KeyGenerator>>()));
        return services;
    }

    /// <summary>
    /// The options, validated: a value outside its range is a <see cref="SecureUpdate.Errors.ConfigurationException"/>
    /// (exit 2 on the command line), as for every other bad setting, not an <see cref="OptionsValidationException"/>.
    /// </summary>
    private static SecureUpdateOptions ValidatedOptions(IServiceProvider provider)
    {
        try
        {
            var options = provider.GetRequiredService<IOptions<SecureUpdateOptions>>().Value;
            DurationLimits.Check(options);
            return options;
        }
        catch (OptionsValidationException ex)
        {
            throw SecureUpdate.Errors.Error.OptionsInvalid(ex.Message, ex);
        }
    }
}
