using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SecureUpdate.Agent;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// <see cref="UpdateAgentOptions"/> take one feed (<see cref="UpdateAgentOptions.Feed"/>) or mirrors
/// (<see cref="UpdateAgentOptions.Feeds"/>), exactly one of them, without empty entries: anything else
/// fails when the host starts, before the agent runs. Mirrors alone start the agent.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AgentMirrorOptionsTests
{
    [Fact]
    public async Task StartAgentHost_FeedAndFeedsBoth_FailsNamingBoth()
    {
        using var workspace = new ReleaseWorkspace();
        using var host = UnstartedAgentHost.Build(workspace, options => options.Feeds.Add(workspace.Feed));

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("give Feed or Feeds (mirrors), not both");
    }

    [Fact]
    public async Task StartAgentHost_FeedsWithAnEmptyEntry_Fails()
    {
        using var workspace = new ReleaseWorkspace();
        using var host = UnstartedAgentHost.Build(workspace, options =>
        {
            options.Feed = "";
            options.Feeds.Add(workspace.Feed);
            options.Feeds.Add(" ");
        });

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("UpdateAgentOptions.Feeds: an entry is empty");
    }

    [Fact]
    public async Task StartAgentHost_MirrorsOnly_StartsAndStops()
    {
        using var workspace = new ReleaseWorkspace();
        using var host = UnstartedAgentHost.Build(workspace, options =>
        {
            options.Feed = "";
            options.Feeds.Add(SilentListener.RefusingUrl());
            options.Feeds.Add(workspace.Feed);
        });

        await host.StartAsync();
        var agent = host.Services.GetServices<IHostedService>().OfType<UpdateAgentService>().Single();
        agent.ExecuteTask.Should().NotBeNull();
        await host.StopAsync();

        agent.ExecuteTask!.IsCompleted.Should().BeTrue();
    }
}
