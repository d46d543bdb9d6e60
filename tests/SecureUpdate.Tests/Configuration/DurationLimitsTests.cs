using System.IO.Abstractions;
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Configuration;

/// <summary>
/// The library refuses durations a timer cannot hold (and other absurd values) with a <see cref="ConfigurationException"/>
/// before anything is fetched or switched, never with an <c>OptionsValidationException</c> or an <c>ArgumentOutOfRangeException</c>
/// from deep inside a timer.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DurationLimitsTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();

    public DurationLimitsTests() => _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo\n", executable: true);

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData(50)]
    [InlineData(400)]
    public void AddSecureUpdate_DeadlineAboveFortyNineDays_IsAConfigurationException(int days)
    {
        using var services = new ServiceCollection().AddSecureUpdate(options => options.Deadline = TimeSpan.FromDays(days)).BuildServiceProvider();

        var resolve = () => services.GetRequiredService<UpdateClient>();

        resolve.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Usage);
    }

    [Fact]
    public void AddSecureUpdate_DeadlineOfFortyNineDays_IsAccepted()
    {
        using var services = new ServiceCollection().AddSecureUpdate(options => options.Deadline = TimeSpan.FromDays(49)).BuildServiceProvider();

        services.GetRequiredService<UpdateClient>().Should().NotBeNull();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(50)]
    public void UpdateClient_DeadlineOutsideItsRange_IsAConfigurationExceptionNamingIt(int days)
    {
        var options = new SecureUpdateOptions { Deadline = TimeSpan.FromDays(days) };

        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

        var create = () => new UpdateClient(services.GetRequiredService<IHttpClientFactory>(), new FileSystem(), TimeProvider.System, options);

        create.Should().Throw<ConfigurationException>().Which.Setting.Should().Be("Deadline");
    }

    [Fact]
    public async Task ApplyAsync_HealthTimeoutAboveFortyNineDays_IsRefusedBeforeAnythingIsInstalled()
    {
        await _workspace.PublishAsync("1.0.0");

        var apply = () => _workspace.Client.ApplyAsync(new ApplyRequest
        {
            Target = _workspace.Folder, Feed = _workspace.Feed, Trust = _workspace.Trust, App = ReleaseWorkspace.App,
            HealthCheck = "true", HealthTimeout = TimeSpan.FromDays(50),
        });

        (await apply.Should().ThrowAsync<ConfigurationException>()).Which.Setting.Should().Be("HealthTimeout");
        Directory.Exists(_workspace.Target).Should().BeFalse("nothing is created for a refused request");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task SwapAsync_WaitPidNotAboveZero_IsRefusedBeforeAnythingIsSwitched(int pid)
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        var before = TargetSnapshot.Capture(_workspace.Target);

        var swap = () => _workspace.Client.SwapAsync(new SwapRequest { Target = _workspace.Folder, WaitPid = pid });

        (await swap.Should().ThrowAsync<ConfigurationException>()).Which.Setting.Should().Be("WaitPid");
        before.ShouldBeUnchanged();
    }

    [Theory]
    [InlineData("WaitTimeout")]
    [InlineData("HealthTimeout")]
    public async Task SwapAsync_TimeoutAboveFortyNineDays_IsRefusedBeforeAnythingIsSwitched(string setting)
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        var before = TargetSnapshot.Capture(_workspace.Target);
        var request = setting == "WaitTimeout"
            ? new SwapRequest { Target = _workspace.Folder, WaitTimeout = TimeSpan.FromDays(50) }
            : new SwapRequest { Target = _workspace.Folder, HealthCheck = "true", HealthTimeout = TimeSpan.FromDays(50) };

        var swap = () => _workspace.Client.SwapAsync(request);

        (await swap.Should().ThrowAsync<ConfigurationException>()).Which.Setting.Should().Be(setting);
        before.ShouldBeUnchanged();
    }
}
