using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureUpdate.Agent;
using SecureUpdate.Configuration;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// A host with the agent registered for a release workspace with valid settings (one feed, the release key, a
/// quiet restart and companion, an hour of jitter so it does not check at once), then changed by the test, not started:
/// the options tests start it to see what validation says.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class UnstartedAgentHost
{
    public static IHost Build(ReleaseWorkspace workspace, Action<UpdateAgentOptions> change, Action<SecureUpdateOptions>? client = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.AddSecureUpdateAgent(
            options =>
            {
                options.Feed = workspace.Feed;
                options.TrustFile = Path.Combine(workspace.Keys, "release.pub");
                options.Target = workspace.Target;
                options.RestartCommand = "true";
                options.CompanionPath = "/bin/true";
                options.HostId = "host-a";
                options.RunningVersion = "1.0.0";
                options.Jitter = TimeSpan.FromHours(1);
                change(options);
            },
            client);
        return builder.Build();
    }
}
