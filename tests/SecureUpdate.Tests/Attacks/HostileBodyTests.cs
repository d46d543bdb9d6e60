using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>Endless data and slow retrieval: bodies that never end or barely move.</summary>
public sealed class HostileBodyTests
{
    /// <summary>Whatever the retries, a 3 s deadline must end the command long before this.</summary>
    private static readonly TimeSpan s_deadlineBound = TimeSpan.FromSeconds(30);

    public static TheoryData<string> EndlessFiles => new()
    {
        UpdateFeedFiles.Channel,
        UpdateFeedFiles.ChannelSignature,
        UpdateFeedFiles.Manifest,
        UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library,
    };

    public static TheoryData<string> SlowFiles => new()
    {
        UpdateFeedFiles.Channel,
        UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library,
    };

    [Theory]
    [MemberData(nameof(EndlessFiles))]
    public async Task Apply_EndlessBody_IsRefusedAndTargetUnchanged(string file)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        scenario.Server.ServeEndless(UpdateFeedFiles.Resolve(file));

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Theory]
    [MemberData(nameof(SlowFiles))]
    public async Task Apply_SlowDripBodyAgainstTimeout_FailsAtTheDeadlineAndTargetUnchanged(string file)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        scenario.Server.ServeSlowDrip(UpdateFeedFiles.Resolve(file));

        var result = await scenario.ApplyAsync("--timeout", "3s");

        scenario.ShouldBeRefused(result, 4, "timeout");
        result.Elapsed.Should().BeLessThan(s_deadlineBound, "--timeout 3s bounds the whole command\n{0}", result.Describe());
        scenario.Server.RequestCount(UpdateFeedFiles.Resolve(file)).Should().BePositive("the slow body was actually being downloaded");
    }

    [Theory]
    [MemberData(nameof(EndlessFiles))]
    public async Task ApplyFromFolder_FeedFileIsEndlessDevice_IsRefusedAndTargetUnchanged(string file)
    {
        // A folder feed can be endless too: the file is a symlink to /dev/zero.
        await using var scenario = await AttackScenario.CreateAsync();
        var path = scenario.FeedPath(UpdateFeedFiles.Resolve(file));
        File.Delete(path);
        File.CreateSymbolicLink(path, "/dev/zero");

        var result = await scenario.ApplyFromFolderAsync("--timeout", "30s");

        scenario.ShouldBeRefused(result, 3);
    }
}
