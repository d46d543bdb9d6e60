using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// Staged rollout at apply time: a host outside the pointer's percentage gets
/// <see cref="ApplyOutcome.NotInRollout"/> and nothing changes; raising the percentage only adds
/// hosts; a pointer whose rollout is not a percentage is refused even when properly signed.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RolloutApplyTests : IAsyncLifetime, IDisposable
{
    private const string V1 = "1.0.0";
    private const string V2 = "1.1.0";

    private readonly ReleaseWorkspace _workspace = new();
    private FeedServer? _server;

    public RolloutApplyTests()
    {
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo\n", executable: true);
        _workspace.WriteInput("README.txt", "Demo 1.0.0\n");
    }

    private FeedServer Server => _server!;

    public async Task InitializeAsync() => _server = await FeedServer.StartAsync(_workspace.Feed);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Apply_HostOutsideRollout_ReturnsNotInRolloutFetchesNoManifestAndChangesNothing()
    {
        await InstallV1AndPublishV2Async(rollout: 30);
        var before = TargetSnapshot.Capture(_workspace.Target);
        var afterInstall = Server.Requests.Count;

        var result = await ApplyAsync(RolloutHosts.Outside(ReleaseWorkspace.App, V2, 30));

        result.Outcome.Should().Be(ApplyOutcome.NotInRollout);
        result.Version.Should().Be(V2, "the result names the version the host was left out of");
        result.PreviousVersion.Should().Be(V1);
        result.FilesDownloaded.Should().Be(0);
        result.BytesDownloaded.Should().Be(0);
        before.ShouldBeUnchanged("a host outside the rollout is left exactly as it was");
        TargetAssert.CurrentVersion(_workspace.Target).Should().Be(V1);
        Server.Requests.Skip(afterInstall).Select(r => r.Path).Should().OnlyContain(
            path => path.StartsWith("demo/stable/channel.json", StringComparison.Ordinal) || path.StartsWith("trust/", StringComparison.Ordinal),
            "only the trust chain and the pointer are read: no manifest, no blob");
    }

    [Fact]
    public async Task Apply_HostInsideRollout_Installs()
    {
        await InstallV1AndPublishV2Async(rollout: 30);

        var result = await ApplyAsync(RolloutHosts.Inside(ReleaseWorkspace.App, V2, 30));

        result.Outcome.Should().Be(ApplyOutcome.Updated);
        result.Version.Should().Be(V2);
        TargetAssert.CurrentVersion(_workspace.Target).Should().Be(V2);
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be(V2);
    }

    [Fact]
    public async Task Apply_WithoutHostId_IgnoresTheRollout()
    {
        await InstallV1AndPublishV2Async(rollout: 0);

        var result = await ApplyAsync(hostId: null);

        result.Outcome.Should().Be(ApplyOutcome.Updated, "an operator applying by hand is not held back by a staged rollout");
        TargetAssert.CurrentVersion(_workspace.Target).Should().Be(V2);
    }

    [Fact]
    public async Task Apply_StageOnlyOutsideRollout_StagesNothing()
    {
        await InstallV1AndPublishV2Async(rollout: 0);
        var before = TargetSnapshot.Capture(_workspace.Target);

        var result = await ApplyAsync("host-a", stageOnly: true);

        result.Outcome.Should().Be(ApplyOutcome.NotInRollout);
        before.ShouldBeUnchanged();
        Directory.Exists(_workspace.Installed(V2, "")).Should().BeFalse();
    }

    [Fact]
    public async Task Apply_FirstInstallOutsideRollout_LeavesNoTargetBehind()
    {
        await RolloutReleases.PublishAsync(_workspace, V1, rollout: 0);

        var result = await ApplyAsync("host-a");

        result.Outcome.Should().Be(ApplyOutcome.NotInRollout);
        TargetAssert.ShouldHaveNoInstall(_workspace.Target);
        var left = Directory.Exists(_workspace.Target)
            ? string.Join(", ", Directory.EnumerateFileSystemEntries(_workspace.Target, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(_workspace.Target, path)).Order(StringComparer.Ordinal))
            : "";
        Directory.Exists(_workspace.Target).Should().BeFalse(
            "NotInRollout means nothing changed, and a first install that does not happen must not leave an empty target (and its state folder) behind, as a refused one does not; left: [{0}]", left);
    }

    [Fact]
    public async Task SetRollout_RaisingTenToSixty_KeepsEveryHostThatWasInAndAddsHosts()
    {
        await InstallV1AndPublishV2Async(rollout: 10);
        var pointerAtTen = RolloutReleases.ReadPointer(_workspace);
        var hosts = RolloutHosts.MachineIds(300, seed: 11);

        var atTen = await HostsTakingAsync(hosts);
        var result = await RolloutReleases.SetRolloutAsync(_workspace, 60);
        var atSixty = await HostsTakingAsync(hosts);

        result.Version.Should().Be(V2, "a rollout change re-signs the same version");
        var pointerAtSixty = RolloutReleases.ReadPointer(_workspace);
        pointerAtSixty["version"]!.GetValue<string>().Should().Be(V2);
        pointerAtSixty["manifestSha256"]!.GetValue<string>().Should().Be(pointerAtTen["manifestSha256"]!.GetValue<string>(), "the same manifest stays bound");
        pointerAtSixty["manifestSize"]!.GetValue<long>().Should().Be(pointerAtTen["manifestSize"]!.GetValue<long>());
        pointerAtSixty["rollout"]!.GetValue<int>().Should().Be(60);

        atTen.Should().BeSubsetOf(atSixty, "raising the percentage never drops a host that already took the version");
        atSixty.Count.Should().BeGreaterThan(atTen.Count);
        atTen.Should().BeEquivalentTo(hosts.Where(h => RolloutBucket.Includes(h, ReleaseWorkspace.App, V2, 10)));
        atSixty.Should().BeEquivalentTo(hosts.Where(h => RolloutBucket.Includes(h, ReleaseWorkspace.App, V2, 60)));
        (100.0 * atTen.Count / hosts.Count).Should().BeApproximately(10, 5);
        (100.0 * atSixty.Count / hosts.Count).Should().BeApproximately(60, 8);

        var joined = atSixty.Except(atTen).First();
        (await ApplyAsync(joined)).Outcome.Should().Be(ApplyOutcome.Updated, "a host added by the higher percentage installs");
    }

    [Theory]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("1000")]
    [InlineData("50.5")]
    [InlineData("\"50\"")]
    [InlineData("true")]
    public async Task Apply_SignedPointerWithRolloutNotAPercentage_RefusedAsMalformed(string rollout)
    {
        await InstallV1AndPublishV2Async(rollout: 50);
        RolloutReleases.ForgeRollout(_workspace, rollout);
        var before = TargetSnapshot.Capture(_workspace.Target);

        var apply = () => ApplyAsync(RolloutHosts.Inside(ReleaseWorkspace.App, V2, 50));
        var check = () => _workspace.Client.CheckForUpdateAsync(new UpdateCheckRequest { Feed = Server.Url, Trust = _workspace.Trust, Target = _workspace.Folder, HostId = "host-a" });

        var refused = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        refused.Code.Should().Be(ErrorCode.Malformed, "the signature is good (real key); the content is what is wrong");
        refused.Stage.Should().Be(UpdateStage.Channel);
        (await check.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.Malformed);
        before.ShouldBeUnchanged("a refused pointer changes nothing");
    }

    [Theory]
    [InlineData("0", ApplyOutcome.NotInRollout)]
    [InlineData("100", ApplyOutcome.Updated)]
    public async Task Apply_SignedPointerWithBoundaryRollout_IsAccepted(string rollout, ApplyOutcome expected)
    {
        // The control for the refusals above: the same hand-made, hand-signed pointer is fine when the value is in range.
        await InstallV1AndPublishV2Async(rollout: 50);
        RolloutReleases.ForgeRollout(_workspace, rollout);

        var result = await ApplyAsync("host-a");

        result.Outcome.Should().Be(expected);
    }

    [Fact]
    public async Task Publish_RolloutOutOfRange_IsRefusedAndFeedUnchanged()
    {
        await RolloutReleases.PublishAsync(_workspace, V1, rollout: null);
        var before = TargetSnapshot.Capture(_workspace.Feed);

        var publish = () => RolloutReleases.PublishAsync(_workspace, V2, rollout: 101);
        var resign = () => RolloutReleases.SetRolloutAsync(_workspace, -1);

        (await publish.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Usage);
        (await resign.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Usage);
        before.ShouldBeUnchanged("a refused release or rollout leaves the feed as it was");
    }

    [Fact]
    public async Task SetRollout_ChannelWithoutRelease_IsRefused()
    {
        await RolloutReleases.PublishAsync(_workspace, V1, rollout: null);

        var resign = () => RolloutReleases.SetRolloutAsync(_workspace, 50, channel: "beta");

        await resign.Should().ThrowAsync<ConfigurationException>();
        File.Exists(Path.Combine(_workspace.Feed, RolloutReleases.PointerPath("beta"))).Should().BeFalse();
    }

    private async Task<HashSet<string>> HostsTakingAsync(IReadOnlyList<string> hosts)
    {
        var taking = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            var check = await _workspace.Client.CheckForUpdateAsync(new UpdateCheckRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder, HostId = host });
            check.Outcome.Should().BeOneOf(UpdateCheckOutcome.Available, UpdateCheckOutcome.NotInRollout);
            if (check.Outcome == UpdateCheckOutcome.Available)
            {
                taking.Add(host);
            }
        }

        return taking;
    }

    private async Task InstallV1AndPublishV2Async(int? rollout)
    {
        await RolloutReleases.PublishAsync(_workspace, V1, rollout: null);
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        _workspace.WriteInput("README.txt", "Demo 1.1.0\n");
        await RolloutReleases.PublishAsync(_workspace, V2, rollout);
    }

    private Task<ApplyResult> ApplyAsync(string? hostId, bool stageOnly = false) =>
        _workspace.Client.ApplyAsync(new ApplyRequest
        {
            Feed = Server.Url,
            Trust = _workspace.Trust,
            Target = _workspace.Folder,
            App = ReleaseWorkspace.App,
            HostId = hostId,
            StageOnly = stageOnly,
        });
}
