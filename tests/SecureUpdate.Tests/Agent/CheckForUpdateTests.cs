using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// <see cref="UpdateClient.CheckForUpdateAsync"/> against a real loopback HTTP feed and a local feed
/// folder: the outcomes, conditional requests answered 304, staged rollout, and refusal of a pointer
/// from an untrusted key. A check never changes anything on disk.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class CheckForUpdateTests : IAsyncLifetime, IDisposable
{
    private const string ChannelPath = "demo/stable/channel.json";

    private readonly ReleaseWorkspace _workspace = new();
    private FeedServer? _server;

    public CheckForUpdateTests()
    {
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo\n", executable: true);
        _workspace.WriteInput("README.txt", "Demo 1.0.0\n");
    }

    private FeedServer Server => _server!;

    public async Task InitializeAsync() => _server = await FeedServer.StartAsync(_workspace.Feed);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_NewerReleasePublished_ReturnsAvailableAndChangesNothing(bool http)
    {
        await InstallAsync("1.0.0");
        await PublishAsync("1.1.0");
        var before = TargetSnapshot.Capture(_workspace.Target);

        var check = await CheckAsync(http);

        check.Outcome.Should().Be(UpdateCheckOutcome.Available);
        check.Version.Should().Be("1.1.0");
        check.CurrentVersion.Should().Be("1.0.0");
        check.RolloutPercent.Should().Be(100, "a pointer without a rollout reaches every host");
        check.ETag.Should().NotBeNullOrEmpty("the next check can be conditional");
        before.ShouldBeUnchanged("a check only reads");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_ChannelVersionInstalled_ReturnsNoUpdate(bool http)
    {
        await InstallAsync("1.0.0");

        var check = await CheckAsync(http, hostId: "any-host");

        check.Outcome.Should().Be(UpdateCheckOutcome.NoUpdate);
        check.Version.Should().Be("1.0.0");
        check.CurrentVersion.Should().Be("1.0.0");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_ChannelVersionWasRolledBack_ReturnsNoUpdate(bool http)
    {
        await InstallAsync("1.0.0");
        await PublishAsync("1.1.0");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Updated);
        (await _workspace.Client.RollbackAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.0.0");

        var check = await CheckAsync(http);

        check.Outcome.Should().Be(UpdateCheckOutcome.NoUpdate, "a version rolled back from is not offered again until a newer one is published");
        check.Version.Should().Be("1.1.0");
        check.CurrentVersion.Should().Be("1.0.0");
    }

    [Fact]
    public async Task Check_WithPreviousETag_GetsNotModifiedFromA304ThenAvailableAfterANewRelease()
    {
        await InstallAsync("1.0.0");
        await PublishAsync("1.1.0");
        var first = await CheckAsync(http: true);
        var afterFirst = Server.Requests.Count;

        var second = await CheckAsync(http: true, etag: first.ETag);

        second.Outcome.Should().Be(UpdateCheckOutcome.NotModified);
        second.Version.Should().BeNull();
        second.RolloutPercent.Should().BeNull();
        second.CurrentVersion.Should().Be("1.0.0");
        second.ETag.Should().Be(first.ETag, "the validator stays the same while the pointer does");
        var conditional = Server.Requests.Skip(afterFirst).ToArray();
        conditional.Should().ContainSingle("an unchanged pointer costs one request, without its signatures")
            .Which.Should().Match<FeedRequest>(r => r.Path == ChannelPath && r.Conditional && r.StatusCode == 304 && (r.ContentLength ?? 0) == 0);

        await PublishAsync("1.2.0");
        var afterSecond = Server.Requests.Count;
        var third = await CheckAsync(http: true, etag: second.ETag);

        third.Outcome.Should().Be(UpdateCheckOutcome.Available);
        third.Version.Should().Be("1.2.0");
        third.ETag.Should().NotBe(first.ETag);
        Server.Requests.Skip(afterSecond).Should().Contain(r => r.Path == ChannelPath && r.Conditional && r.StatusCode == 200, "the changed pointer is sent in full");
        Server.Requests.Skip(afterSecond).Should().Contain(r => r.Path == ChannelPath + ".sig", "a changed pointer is verified again");
    }

    [Fact]
    public async Task Check_LocalFolderWithPreviousValidator_GetsNotModifiedThenAvailableAfterANewRelease()
    {
        await InstallAsync("1.0.0");
        await PublishAsync("1.1.0");
        var first = await CheckAsync(http: false);

        var second = await CheckAsync(http: false, etag: first.ETag);

        second.Outcome.Should().Be(UpdateCheckOutcome.NotModified);
        second.ETag.Should().Be(first.ETag);

        await PublishAsync("1.2.0");
        var third = await CheckAsync(http: false, etag: second.ETag);

        third.Outcome.Should().Be(UpdateCheckOutcome.Available);
        third.Version.Should().Be("1.2.0");
        third.ETag.Should().NotBe(first.ETag);
    }

    [Fact]
    public async Task Check_ServerWithoutValidators_ReadsAndVerifiesTheWholePointerEveryTime()
    {
        Server.ETags = false;
        await InstallAsync("1.0.0");
        await PublishAsync("1.1.0");

        var first = await CheckAsync(http: true);
        var second = await CheckAsync(http: true, etag: first.ETag);

        first.ETag.Should().BeNull("the server sent none");
        second.Outcome.Should().Be(UpdateCheckOutcome.Available);
        Server.Requests.Where(r => r.Path == ChannelPath).Should().HaveCount(2).And.OnlyContain(r => !r.Conditional && r.StatusCode == 200);
    }

    [Fact]
    public async Task Check_StaleOrBogusETag_ReadsThePointerInFull()
    {
        await InstallAsync("1.0.0");
        await PublishAsync("1.1.0");

        var check = await CheckAsync(http: true, etag: "\"not-the-current-tag\"");

        check.Outcome.Should().Be(UpdateCheckOutcome.Available);
        check.Version.Should().Be("1.1.0");
        Server.Requests.Should().Contain(r => r.Path == ChannelPath && r.Conditional && r.StatusCode == 200);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_HostOutsideZeroPercentRollout_IsNotInRolloutAndAvailableAtHundredPercent(bool http)
    {
        await InstallAsync("1.0.0");
        await RolloutReleases.PublishAsync(_workspace, "1.1.0", rollout: 0);

        var outside = await CheckAsync(http, hostId: "host-a");
        var withoutHostId = await CheckAsync(http);

        outside.Outcome.Should().Be(UpdateCheckOutcome.NotInRollout);
        outside.Version.Should().Be("1.1.0");
        outside.RolloutPercent.Should().Be(0);
        withoutHostId.Outcome.Should().Be(UpdateCheckOutcome.Available, "without a host id rollout is ignored (an operator checking by hand)");

        await RolloutReleases.SetRolloutAsync(_workspace, 100);
        var inside = await CheckAsync(http, hostId: "host-a");

        inside.Outcome.Should().Be(UpdateCheckOutcome.Available);
        inside.Version.Should().Be("1.1.0");
        inside.RolloutPercent.Should().Be(100);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_ThirtyPercentRollout_FollowsTheHostsBucket(bool http)
    {
        await InstallAsync("1.0.0");
        await RolloutReleases.PublishAsync(_workspace, "1.1.0", rollout: 30);

        var inside = await CheckAsync(http, hostId: RolloutHosts.Inside(ReleaseWorkspace.App, "1.1.0", 30));
        var outside = await CheckAsync(http, hostId: RolloutHosts.Outside(ReleaseWorkspace.App, "1.1.0", 30));

        inside.Outcome.Should().Be(UpdateCheckOutcome.Available);
        outside.Outcome.Should().Be(UpdateCheckOutcome.NotInRollout);
        inside.RolloutPercent.Should().Be(30);
        outside.RolloutPercent.Should().Be(30);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_PointerSignedByUntrustedKey_ThrowsVerificationAndChangesNothing(bool http)
    {
        await InstallAsync("1.0.0");
        var (intruderKey, _) = _workspace.GenerateKey("intruder");
        await _workspace.PublishAsync("1.1.0", keyFiles: [intruderKey]);
        var before = TargetSnapshot.Capture(_workspace.Target);

        var check = () => CheckAsync(http);

        (await check.Should().ThrowAsync<VerificationException>()).Which.Stage.Should().Be(UpdateStage.Channel);
        before.ShouldBeUnchanged("a refused check leaves the target as it was");
    }

    [Fact]
    public async Task Check_WithETagOfATrustedPointer_StillRefusesAnUntrustedReplacement()
    {
        await InstallAsync("1.0.0");
        var trusted = await CheckAsync(http: true);
        var (intruderKey, _) = _workspace.GenerateKey("intruder");
        await _workspace.PublishAsync("1.1.0", keyFiles: [intruderKey]);
        var before = TargetSnapshot.Capture(_workspace.Target);

        var check = () => CheckAsync(http: true, etag: trusted.ETag);

        await check.Should().ThrowAsync<VerificationException>("a changed pointer is verified, whatever validator the check carried");
        before.ShouldBeUnchanged();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Check_NothingInstalledWithApp_ReturnsAvailableAndCreatesNoTarget(bool http)
    {
        await PublishAsync("1.0.0");

        var check = await CheckAsync(http, app: ReleaseWorkspace.App);

        check.Outcome.Should().Be(UpdateCheckOutcome.Available);
        check.Version.Should().Be("1.0.0");
        check.CurrentVersion.Should().BeNull();
        Directory.Exists(_workspace.Target).Should().BeFalse("a check creates nothing");
    }

    [Fact]
    public async Task Check_NothingInstalledWithoutApp_ThrowsConfiguration()
    {
        await PublishAsync("1.0.0");

        var check = () => CheckAsync(http: false);

        await check.Should().ThrowAsync<ConfigurationException>();
        Directory.Exists(_workspace.Target).Should().BeFalse();
    }

    private Task<UpdateCheck> CheckAsync(bool http, string? hostId = null, string? etag = null, string? app = null, TrustRoot? trust = null) =>
        _workspace.Client.CheckForUpdateAsync(new UpdateCheckRequest
        {
            Feed = http ? Server.Url : _workspace.Feed,
            Trust = trust ?? _workspace.Trust,
            Target = _workspace.Folder,
            App = app,
            HostId = hostId,
            ETag = etag,
        });

    private async Task PublishAsync(string version)
    {
        _workspace.WriteInput("README.txt", $"Demo {version}\n");
        await _workspace.PublishAsync(version);
    }

    private async Task InstallAsync(string version)
    {
        await PublishAsync(version);
        (await _workspace.ApplyAsync()).Outcome.Should().BeOneOf(ApplyOutcome.Installed, ApplyOutcome.Updated);
    }
}
