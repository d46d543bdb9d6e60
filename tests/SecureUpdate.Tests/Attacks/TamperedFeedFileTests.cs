using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// 1.0.0 is installed and the feed offers 1.1.0; every file the update reads is flipped, truncated,
/// extended or emptied. Each must be refused (exit 3) with the target exactly as it was.
/// </summary>
public sealed class TamperedFeedFileTests
{
    public static TheoryData<string, FileMutation> EveryFileAndMutation()
    {
        var data = new TheoryData<string, FileMutation>();
        foreach (var file in UpdateFeedFiles.All)
        {
            foreach (var mutation in Enum.GetValues<FileMutation>())
            {
                data.Add(file, mutation);
            }
        }

        return data;
    }

    public static TheoryData<string> EveryFile() => new(UpdateFeedFiles.All);

    [Fact]
    public async Task Apply_FeedNotTampered_UpdatesToTheOfferedRelease()
    {
        // The control for every case below: the same scenario without an attack updates.
        await using var scenario = await AttackScenario.CreateAsync();

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Theory]
    [MemberData(nameof(EveryFileAndMutation))]
    public async Task Apply_UpdateFeedFileTampered_IsRefusedAndTargetUnchanged(string file, FileMutation mutation)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        FileMutator.Apply(scenario.FeedPath(UpdateFeedFiles.Resolve(file)), mutation);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Theory]
    [MemberData(nameof(EveryFile))]
    public async Task ApplyFromFolder_UpdateFeedFileFlipped_IsRefusedAndTargetUnchanged(string file)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        FileMutator.Apply(scenario.FeedPath(UpdateFeedFiles.Resolve(file)), FileMutation.Flip);

        var result = await scenario.ApplyFromFolderAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Fact]
    public async Task Apply_BlobReplacedByFileFromAnotherRelease_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var blob = scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library));
        File.WriteAllBytes(blob, ReleaseInputs.File(ReleaseInputs.V1, ReleaseInputs.Library).Content);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Fact]
    public async Task Apply_ManifestReplacedByPreviousReleaseManifest_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var oldManifest = UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest, ReleaseInputs.V1);
        var newManifest = UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest);
        File.Copy(scenario.FeedPath(oldManifest), scenario.FeedPath(newManifest), overwrite: true);
        File.Copy(scenario.FeedPath(oldManifest + ".sig"), scenario.FeedPath(newManifest + ".sig"), overwrite: true);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Fact]
    public async Task Apply_ChannelSignatureServedForManifest_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var channel = UpdateFeedFiles.Resolve(UpdateFeedFiles.ChannelSignature);
        File.Copy(scenario.FeedPath(channel), scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.ManifestSignature)), overwrite: true);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Fact]
    public async Task Apply_BlobHashMismatch_IsFetchedOnceMoreThenRefused()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var blob = UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library);
        FileMutator.Apply(scenario.FeedPath(blob), FileMutation.Flip);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "hash_mismatch");
        scenario.Server.RequestCount(blob).Should().Be(2, "a payload whose hash does not match is fetched once more from scratch, then refused");
    }

    [Fact]
    public async Task Apply_BadSignature_IsNotRetried()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var attacker = ForgedKey.Create();
        var channel = UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel);
        scenario.Forger.Resign(channel, FeedForger.ChannelType, attacker);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
        scenario.Server.RequestCount(channel).Should().Be(1, "an authenticity failure is a security event, not a transient fault: no retry");
        scenario.Server.RequestCount(channel + ".sig").Should().Be(1);
        scenario.Server.RequestLog.Should().NotContain(path => path.Contains("/manifests/", StringComparison.Ordinal), "nothing is fetched on the word of an unverified pointer");
    }
}
