using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SecureUpdate.Agent;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// <see cref="SecureUpdateOptions"/> and <see cref="UpdateAgentOptions"/> are validated by their
/// source-generated validators: out-of-range values fail naming the member, when the client is first resolved
/// (a <see cref="ConfigurationException"/> from the library's error factory, as every other bad setting) or when
/// the host starts (the host's <see cref="OptionsValidationException"/>), never later.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData(nameof(SecureUpdateOptions.RetryCount), "99")]
    [InlineData(nameof(SecureUpdateOptions.RetryCount), "-1")]
    [InlineData(nameof(SecureUpdateOptions.MaxParallelDownloads), "0")]
    [InlineData(nameof(SecureUpdateOptions.MaxParallelDownloads), "65")]
    [InlineData(nameof(SecureUpdateOptions.StallTimeout), "00:00:00")]
    [InlineData(nameof(SecureUpdateOptions.PerTryTimeout), "00:00:00")]
    [InlineData(nameof(SecureUpdateOptions.PerTryTimeout), "2.00:00:00")]
    [InlineData(nameof(SecureUpdateOptions.Deadline), "00:00:00")]
    [InlineData(nameof(SecureUpdateOptions.RetryBaseDelay), "00:11:00")]
    [InlineData(nameof(SecureUpdateOptions.RetryBaseDelay), "-00:00:01")]
    [InlineData(nameof(SecureUpdateOptions.Fallback), "42")]
    public void ResolveClient_OutOfRangeOption_ThrowsConfigurationExceptionNamingIt(string member, string value)
    {
        using var provider = new ServiceCollection().AddSecureUpdate(options => Set(options, member, value)).BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<UpdateClient>();

        var failure = resolve.Should().Throw<ConfigurationException>().Which;
        failure.Code.Should().Be(ErrorCode.Usage);
        failure.Setting.Should().Be("Options");
        failure.Message.Should().Contain(member);
        var invalid = failure.InnerException.Should().BeOfType<OptionsValidationException>().Which;
        invalid.OptionsType.Should().Be<SecureUpdateOptions>();
        invalid.Failures.Should().ContainSingle().Which.Should().Contain(member);
    }

    [Theory]
    [InlineData(nameof(SecureUpdateOptions.RetryCount), "0")]
    [InlineData(nameof(SecureUpdateOptions.RetryCount), "20")]
    [InlineData(nameof(SecureUpdateOptions.MaxParallelDownloads), "1")]
    [InlineData(nameof(SecureUpdateOptions.MaxParallelDownloads), "64")]
    [InlineData(nameof(SecureUpdateOptions.RetryBaseDelay), "00:00:00")]
    [InlineData(nameof(SecureUpdateOptions.StallTimeout), "00:00:00.001")]
    public void ResolveClient_BoundaryValue_Resolves(string member, string value)
    {
        using var provider = new ServiceCollection().AddSecureUpdate(options => Set(options, member, value)).BuildServiceProvider();

        provider.GetRequiredService<UpdateClient>().Should().NotBeNull();
    }

    [Fact]
    public void ResolveClient_Defaults_Resolve()
    {
        using var provider = new ServiceCollection().AddSecureUpdate().BuildServiceProvider();

        provider.GetRequiredService<UpdateClient>().Should().NotBeNull();
        provider.GetRequiredService<SecureUpdate.Publishing.ReleasePublisher>().Should().NotBeNull();
        var options = provider.GetRequiredService<IOptions<SecureUpdateOptions>>().Value;
        options.RetryCount.Should().Be(4);
        options.MaxParallelDownloads.Should().Be(8);
    }

    [Fact]
    public async Task StartHost_InvalidClientOptions_FailsWithOptionsValidation()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.Services.AddSecureUpdate(options => options.RetryCount = 99);
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>("the options are validated on start, not at the first update")).Which.Message.Should().Contain("RetryCount");
    }

    [Theory]
    [InlineData(nameof(UpdateAgentOptions.Feed), "")]
    [InlineData(nameof(UpdateAgentOptions.TrustFile), "")]
    [InlineData(nameof(UpdateAgentOptions.Target), "")]
    [InlineData(nameof(UpdateAgentOptions.RestartCommand), "")]
    [InlineData(nameof(UpdateAgentOptions.CompanionPath), "")]
    [InlineData(nameof(UpdateAgentOptions.CheckInterval), "00:00:00")]
    [InlineData(nameof(UpdateAgentOptions.CheckInterval), "31.00:00:00")]
    [InlineData(nameof(UpdateAgentOptions.Jitter), "-00:00:01")]
    [InlineData(nameof(UpdateAgentOptions.ConfirmWithin), "00:00:00")]
    [InlineData(nameof(UpdateAgentOptions.ConfirmAfter), "-00:00:01")]
    public async Task StartAgentHost_InvalidAgentOption_FailsWithOptionsValidationNamingIt(string member, string value)
    {
        using var workspace = new ReleaseWorkspace();
        using var host = UnstartedAgentHost.Build(workspace, options => SetAgent(options, member, value));

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.OptionsType.Should().Be<UpdateAgentOptions>();
        failure.Failures.Should().ContainSingle().Which.Should().Contain(member);
    }

    [Fact]
    public async Task StartAgentHost_MissingFeed_FailsBeforeTheAgentRuns()
    {
        using var workspace = new ReleaseWorkspace();
        using var host = UnstartedAgentHost.Build(workspace, options => options.Feed = null!);

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(nameof(UpdateAgentOptions.Feed));
    }

    [Fact]
    public async Task StartAgentHost_InvalidClientOptions_FailsToo()
    {
        using var workspace = new ReleaseWorkspace();
        using var host = UnstartedAgentHost.Build(workspace, _ => { }, client => client.MaxParallelDownloads = 0);

        var start = () => host.StartAsync();

        // The agent resolves the client as the host starts it: the library's ConfigurationException, naming the member.
        (await start.Should().ThrowAsync<ConfigurationException>()).Which.Message.Should().Contain(nameof(SecureUpdateOptions.MaxParallelDownloads));
    }

    [Fact]
    public async Task StartAgentHost_ValidOptions_StartsAndStops()
    {
        using var workspace = new ReleaseWorkspace();
        using var host = UnstartedAgentHost.Build(workspace, _ => { });

        await host.StartAsync();
        var agent = host.Services.GetServices<IHostedService>().OfType<UpdateAgentService>().Single();
        agent.ExecuteTask.Should().NotBeNull();
        await host.StopAsync();

        agent.ExecuteTask!.IsCompleted.Should().BeTrue();
        agent.HandedOffVersion.Should().BeNull();
    }

    private static void Set(SecureUpdateOptions options, string member, string value)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        switch (member)
        {
            case nameof(SecureUpdateOptions.RetryCount): options.RetryCount = int.Parse(value, culture); break;
            case nameof(SecureUpdateOptions.MaxParallelDownloads): options.MaxParallelDownloads = int.Parse(value, culture); break;
            case nameof(SecureUpdateOptions.StallTimeout): options.StallTimeout = TimeSpan.Parse(value, culture); break;
            case nameof(SecureUpdateOptions.PerTryTimeout): options.PerTryTimeout = TimeSpan.Parse(value, culture); break;
            case nameof(SecureUpdateOptions.Deadline): options.Deadline = TimeSpan.Parse(value, culture); break;
            case nameof(SecureUpdateOptions.RetryBaseDelay): options.RetryBaseDelay = TimeSpan.Parse(value, culture); break;
            case nameof(SecureUpdateOptions.Fallback): options.Fallback = (FallbackMode)int.Parse(value, culture); break;
            default: throw new ArgumentOutOfRangeException(nameof(member), member, "not a tested option");
        }
    }

    private static void SetAgent(UpdateAgentOptions options, string member, string value)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        switch (member)
        {
            case nameof(UpdateAgentOptions.Feed): options.Feed = value; break;
            case nameof(UpdateAgentOptions.TrustFile): options.TrustFile = value; break;
            case nameof(UpdateAgentOptions.Target): options.Target = value; break;
            case nameof(UpdateAgentOptions.RestartCommand): options.RestartCommand = value; break;
            case nameof(UpdateAgentOptions.CompanionPath): options.CompanionPath = value; break;
            case nameof(UpdateAgentOptions.CheckInterval): options.CheckInterval = TimeSpan.Parse(value, culture); break;
            case nameof(UpdateAgentOptions.Jitter): options.Jitter = TimeSpan.Parse(value, culture); break;
            case nameof(UpdateAgentOptions.ConfirmWithin): options.ConfirmWithin = TimeSpan.Parse(value, culture); break;
            case nameof(UpdateAgentOptions.ConfirmAfter): options.ConfirmAfter = TimeSpan.Parse(value, culture); break;
            default: throw new ArgumentOutOfRangeException(nameof(member), member, "not a tested option");
        }
    }
}
