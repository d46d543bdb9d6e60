using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SecureUpdate.Agent;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the self-update agent.</summary>
public static class UpdateAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds SecureUpdate (<see cref="SecureUpdateServiceCollectionExtensions.AddSecureUpdate"/>) and the
    /// <see cref="UpdateAgentService"/> hosted service, with <see cref="UpdateAgentOptions"/> validated at start-up.
    /// </summary>
    public static IServiceCollection AddSecureUpdateAgent(this IServiceCollection services, Action<UpdateAgentOptions> configure, Action<SecureUpdate.Configuration.SecureUpdateOptions>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSecureUpdate(configureClient);
        services.AddOptions<UpdateAgentOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpdateAgentOptions>, UpdateAgentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpdateAgentOptions>, UpdateAgentTrustValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpdateAgentOptions>, UpdateAgentFeedValidator>());
        services.AddHostedService<UpdateAgentService>();
        return services;
    }
}
