using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// <c>apply</c> with several <c>--feed</c> mirrors, through the real command against real loopback servers:
/// a mirror that refuses connections, answers 500, redirects somewhere refused or serves a blob that does
/// not match its signed digest is passed over for the next, and the result is byte for byte the signed
/// release. Every mirror down is one transport failure (exit 4) naming each; a mirror serving a tampered
/// pointer or manifest is a refusal (exit 3), never masked by trying another. The target is unchanged
/// whenever the apply fails.
/// </summary>
public sealed class MirrorFailoverTests
{
    private static readonly string s_library = UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library);

    [Fact]
    public async Task Apply_FirstMirrorRefusesConnections_UpdatesFromTheSecond()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var refusing = SilentListener.RefusingUrl();

        var result = await ApplyAsync(scenario, refusing, scenario.Server.Url);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        result.StderrLines.Should().BeEmpty("a mirror passed over is logged for hosts, not printed: stderr is kept for the one failure line\n{0}", result.Describe());
        result.Json().GetProperty("outcome").GetString().Should().Be("updated", "stdout stays one JSON object\n{0}", result.Describe());
    }

    [Fact]
    public async Task Apply_ThreeMirrorsFirstRefusesSecondAnswers500_UpdatesFromTheThirdAndAsksTheBrokenOnesLast()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var broken = await StatusServer.StartAsync(500);

        var result = await ApplyAsync(scenario, SilentListener.RefusingUrl(), broken.Url, scenario.Server.Url);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        broken.Requests.Should().BeLessThanOrEqualTo(5, "a mirror that failed is tried last for the rest of the run: one request and its 4 retries\n{0}", result.Describe());
    }

    [Fact]
    public async Task Apply_FirstMirrorServesATamperedBlob_FetchesItFromTheNextAndInstallsTheSignedBytes()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var hostile = await StartCopyAsync(scenario, "hostile", feed => FlipFirstByte(Path.Combine(feed, s_library)));

        var result = await ApplyAsync(scenario, hostile.Url, scenario.Server.Url);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        hostile.RequestCount(s_library).Should().Be(1, "the hostile mirror's blob is fetched once\n{0}", result.Describe());
        scenario.Server.RequestCount(s_library).Should().Be(1, "the next mirror supplies the blob\n{0}", result.Describe());
    }

    [Fact]
    public async Task Apply_EveryMirrorServesTheSameTamperedBlob_IsRefusedAfterOneTryEach()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        FlipFirstByte(scenario.FeedPath(s_library));
        await using var second = await StartCopyAsync(scenario, "second", _ => { });
        await using var third = await StartCopyAsync(scenario, "third", _ => { });

        var result = await ApplyAsync(scenario, scenario.Server.Url, second.Url, third.Url);

        scenario.ShouldBeRefused(result, 3, "hash_mismatch");
        result.Stderr.Should().Contain("from any of the 3 mirrors", result.Describe());
        new[] { scenario.Server.RequestCount(s_library), second.RequestCount(s_library), third.RequestCount(s_library) }
            .Should().Equal([1, 1, 1], "each mirror is asked once\n{0}", result.Describe());
    }

    [Fact]
    public async Task Apply_EveryMirrorDown_IsOneTransportFailureNamingEach()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var broken = await StatusServer.StartAsync(503);
        var refusing = SilentListener.RefusingUrl();

        var result = await ApplyAsync(scenario, refusing, broken.Url);

        scenario.ShouldBeRefused(result, 4, "transport");
        result.Stderr.Should().Contain("Every mirror failed", result.Describe())
            .And.Contain($"'{refusing}'", result.Describe())
            .And.Contain($"'{broken.Url}'", result.Describe());
        result.Stderr.Split('\n').Count(line => line.Contains("Every mirror failed", StringComparison.Ordinal)).Should().Be(1, result.Describe());
    }

    [Theory]
    [InlineData(UpdateFeedFiles.Channel)]
    [InlineData(UpdateFeedFiles.Manifest)]
    public async Task Apply_FirstMirrorServesATamperedDocument_IsRefusedAndNoOtherMirrorIsAsked(string document)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var path = UpdateFeedFiles.Resolve(document);
        await using var hostile = await StartCopyAsync(scenario, "hostile", feed => FlipLastBrace(Path.Combine(feed, path)));

        var result = await ApplyAsync(scenario, hostile.Url, scenario.Server.Url);

        scenario.ShouldBeRefused(result, 3);
        scenario.Server.RequestCount(path).Should().Be(0, "a document that fails verification is a refusal, not a reason to ask elsewhere\n{0}", result.Describe());
        scenario.Server.RequestLog.Should().NotContain(entry => entry.StartsWith("blobs/", StringComparison.Ordinal), result.Describe());
    }

    [Fact]
    public async Task Apply_FirstMirrorRedirectsToPlainHttpElsewhere_RefusesTheHopAndUpdatesFromTheNext()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var redirector = await RedirectServer.StartAsync(path => $"http://feed.invalid/{path}");

        var result = await ApplyAsync(scenario, redirector.Url, scenario.Server.Url);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        redirector.RequestLog.Should().HaveCount(1, "a refused hop is not retried and the mirror is asked last afterwards\n{0}", result.Describe());
    }

    [Fact]
    public async Task Apply_FirstMirrorIsStale_TakesTheReleaseFromTheMirrorThatHasIt()
    {
        // A mirror that has not synced yet answers "not found" for the new release: the next one has it.
        await using var scenario = await AttackScenario.CreateAsync();
        await using var stale = await StartCopyAsync(scenario, "stale", feed => Directory.Delete(Path.Combine(feed, "blobs"), recursive: true));

        var result = await ApplyAsync(scenario, stale.Url, scenario.Server.Url);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    private static Task<CliResult> ApplyAsync(AttackScenario scenario, params string[] mirrors) =>
        CliRunner.RunAsync([
            "apply", .. mirrors.SelectMany(mirror => new[] { "--feed", mirror }),
            "--trust", scenario.TrustFile, "--target", scenario.Target, "--timeout", "50s", "--json",
        ]);

    /// <summary>Serves a copy of the scenario's feed, changed by <paramref name="change"/>.</summary>
    private static async Task<FeedServer> StartCopyAsync(AttackScenario scenario, string name, Action<string> change)
    {
        var feed = scenario.Temp.Combine(name);
        DirectoryCopy.Copy(scenario.Feed, feed);
        change(feed);
        return await FeedServer.StartAsync(feed);
    }

    private static void FlipFirstByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0xff;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Changes a JSON document without breaking its syntax: a space before its last brace.</summary>
    private static void FlipLastBrace(string path)
    {
        var text = File.ReadAllText(path);
        var last = text.LastIndexOf('}');
        File.WriteAllText(path, text[..last] + " " + text[last..]);
    }
}
