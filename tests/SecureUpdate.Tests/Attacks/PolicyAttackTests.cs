using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Properly signed documents that policy must still refuse: rollback, stale (expired) documents,
/// another app's or channel's release.
/// </summary>
public sealed class PolicyAttackTests
{
    public static TheoryData<string, string> SignedLies => new()
    {
        { "expired manifest", "expired" },
        { "another app's release at this app's path", "wrong_app" },
        { "another app's manifest behind this app's pointer", "wrong_app" },
        { "another channel's release at this channel's path", "wrong_channel" },
    };

    [Fact]
    public async Task Apply_ReleaseForgedIndependentlyWithValidPolicy_Updates()
    {
        // The control for this class: the independent signer's honest 1.1.0 is accepted, so what is refused below is the lie.
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, ReleaseInputs.Version2, null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("updated", result.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task Apply_DowngradeToOlderSignedRelease_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        scenario.Recapture();

        // The feed goes back to its genuine, still valid, 1.0.0 pointer.
        var channel = UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel);
        var oldFeed = scenario.Template.Feed(ReleaseInputs.V1);
        File.Copy(Path.Combine(oldFeed, channel), scenario.FeedPath(channel), overwrite: true);
        File.Copy(Path.Combine(oldFeed, channel + ".sig"), scenario.FeedPath(channel + ".sig"), overwrite: true);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "downgrade", currentVersion: ReleaseInputs.V2);
    }

    [Fact]
    public async Task Apply_DowngradeToFreshlySignedOlderVersion_IsRefusedAndTargetUnchanged()
    {
        // A fresh, valid signature does not help: 1.0.1 is above 1.0.0 but below the floor, 1.1.0, once installed.
        await using var scenario = await AttackScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        scenario.Recapture();
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.0.1", ReleaseInputs.Version1, null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "downgrade", currentVersion: ReleaseInputs.V2);
    }

    [Fact]
    public async Task Apply_ExpiredChannelPointer_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var manifest = File.ReadAllBytes(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest)));
        scenario.Forger.WriteChannel(
            ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, manifest,
            DateTimeOffset.UtcNow.AddHours(-1), scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "expired");
    }

    [Theory]
    [MemberData(nameof(SignedLies))]
    public async Task Apply_SignedReleaseThatLies_IsRefusedAndTargetUnchanged(string lie, string errorCode)
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var options = lie switch
        {
            "expired manifest" => new ForgedReleaseOptions { ManifestExpires = DateTimeOffset.UtcNow.AddHours(-1) },
            "another app's release at this app's path" => new ForgedReleaseOptions { ManifestApp = "other", ChannelApp = "other" },
            "another app's manifest behind this app's pointer" => new ForgedReleaseOptions { ManifestApp = "other" },
            "another channel's release at this channel's path" => new ForgedReleaseOptions { ManifestChannel = "beta", ChannelChannel = "beta" },
            _ => throw new ArgumentOutOfRangeException(nameof(lie), lie, null),
        };
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, ReleaseInputs.Version2, options, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, errorCode);
    }
}
