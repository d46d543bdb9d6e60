using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Transient failures (5xx, 408, 429, a body cut short) are retried with backoff until the update succeeds;
/// persistent ones end in a transport failure with the target unchanged.
/// </summary>
public sealed class TransientFailureTests
{
    public static TheoryData<string, int> TransientStatuses => new()
    {
        { UpdateFeedFiles.Channel, 503 },
        { UpdateFeedFiles.ChannelSignature, 503 },
        { UpdateFeedFiles.Manifest, 503 },
        { UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library, 503 },
        { UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library, 500 },
        { UpdateFeedFiles.BlobPrefix + ReleaseInputs.Binary, 502 },
        { UpdateFeedFiles.BlobPrefix + ReleaseInputs.Added, 504 },
        { UpdateFeedFiles.Manifest, 408 },
        { UpdateFeedFiles.Channel, 429 },
    };

    public static TheoryData<string> CutShortFiles => new()
    {
        UpdateFeedFiles.Channel,
        UpdateFeedFiles.Manifest,
        UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library,
        UpdateFeedFiles.BlobPrefix + ReleaseInputs.Binary,
    };

    [Theory]
    [MemberData(nameof(TransientStatuses))]
    public async Task Apply_TransientStatusTwiceThenSuccess_RetriesAndUpdates(string file, int statusCode)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var path = UpdateFeedFiles.Resolve(file);
        scenario.Server.RespondWithStatus(path, statusCode, times: 2);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        scenario.Server.RequestCount(path).Should().BeGreaterThanOrEqualTo(3, "two failures and then the successful try");
    }

    [Theory]
    [MemberData(nameof(CutShortFiles))]
    public async Task Apply_BodyCutShortOnceThenSuccess_RetriesAndUpdates(string file)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var path = UpdateFeedFiles.Resolve(file);
        scenario.Server.CutShort(path, times: 1);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        scenario.Server.RequestCount(path).Should().BeGreaterThanOrEqualTo(2, "the cut body and the complete retry");
    }

    [Fact]
    public async Task Apply_FeedAlwaysUnavailable_FailsWithTransportErrorAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var path = UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel);
        scenario.Server.RespondWithStatus(path, 503, times: 1000);

        var result = await scenario.ApplyAsync("--timeout", "30s");

        scenario.ShouldBeRefused(result, 4);
        scenario.Server.RequestCount(path).Should().BeGreaterThanOrEqualTo(4, "transient failures are retried at least 3 times");
    }

    [Fact]
    public async Task Apply_BlobAlwaysCutShort_FailsWithTransportErrorAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var path = UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library);
        scenario.Server.CutShort(path, times: 1000);

        var result = await scenario.ApplyAsync("--timeout", "30s");

        scenario.ShouldBeRefused(result, 4);
    }
}
