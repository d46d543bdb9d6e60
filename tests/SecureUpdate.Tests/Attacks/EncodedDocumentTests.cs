using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Documents may come gzip-encoded (<c>Content-Encoding: gzip</c>) from a server that compresses on the fly:
/// asked for on documents only, decoded, capped on the decoded bytes and verified over them exactly as
/// before. Blobs are never asked for encoded. A gzip bomb ends as "too large" (exit 3) after the cap,
/// without reading on; an encoding other than gzip is refused as a transport failure (exit 4). Real
/// loopback server, real command, target unchanged on every failure.
/// </summary>
public sealed class EncodedDocumentTests
{
    private static readonly string s_channel = UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel);
    private static readonly string s_manifest = UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest);

    [Fact]
    public async Task Apply_DocumentsServedGzipEncoded_AreDecodedVerifiedAndInstalled_BlobsNeverAskedEncoded()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var host = await StaticHostServer.StartAsync(scenario.Feed);
        host.GzipDocuments = true;

        var result = await ApplyAsync(scenario, host.Url);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        var requests = host.Requests;
        requests.Where(request => request.Path is var path && (path == s_channel || path == s_manifest || path == s_manifest + ".sig"))
            .Should().HaveCount(3, result.Describe())
            .And.OnlyContain(request => request.ContentEncoding == "gzip" && request.StatusCode == 200, "documents came gzip-encoded\n{0}", result.Describe());
        requests.Where(request => request.Path.StartsWith("blobs/", StringComparison.Ordinal))
            .Should().NotBeEmpty(result.Describe())
            .And.OnlyContain(request => request.AcceptEncoding.Length == 0 && request.ContentEncoding.Length == 0, "a blob is exact bytes, never asked for encoded\n{0}", result.Describe());
    }

    [Theory]
    [InlineData(UpdateFeedFiles.Channel)]
    [InlineData(UpdateFeedFiles.Manifest)]
    public async Task Apply_DocumentIsAnEndlessGzipBomb_IsTooLargeAndReadingStops(string document)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var host = await StaticHostServer.StartAsync(scenario.Feed);
        var path = UpdateFeedFiles.Resolve(document);
        host.ServeEncoded(path, "gzip", StaticHostServer.EndlessGzipBomb());

        var result = await ApplyAsync(scenario, host.Url);

        scenario.ShouldBeRefused(result, 3, "too_large");
        // Too large (exit 3), not the deadline (exit 4): reading stopped at the cap instead of decoding on.
        result.Stderr.Should().Contain("larger than its limit", result.Describe());
        await WaitForRequestAsync(host, path);
        host.Requests.Count(request => request.Path == path).Should().Be(1, "too large is a refusal, not retried\n{0}", result.Describe());
    }

    [Theory]
    [InlineData("br")]
    [InlineData("deflate")]
    [InlineData("gzip, gzip")]
    public async Task Apply_DocumentWithAnEncodingOtherThanGzip_IsRefusedAsATransportFailure(string encoding)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var host = await StaticHostServer.StartAsync(scenario.Feed);
        var bytes = await File.ReadAllBytesAsync(scenario.FeedPath(s_channel));
        host.ServeEncoded(s_channel, encoding, (body, token) => body.WriteAsync(bytes, token).AsTask());

        var result = await ApplyAsync(scenario, host.Url);

        scenario.ShouldBeRefused(result, 4, "transport");
        result.Stderr.Should().Contain($"with Content-Encoding '{encoding}'; only gzip (or none) is accepted", result.Describe());
    }

    [Fact]
    public async Task Apply_DocumentThatIsNotValidGzip_IsRefusedAsATransportFailure()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        await using var host = await StaticHostServer.StartAsync(scenario.Feed);
        var bytes = await File.ReadAllBytesAsync(scenario.FeedPath(s_channel));
        host.ServeEncoded(s_channel, "gzip", (body, token) => body.WriteAsync(bytes, token).AsTask());

        var result = await ApplyAsync(scenario, host.Url);

        scenario.ShouldBeRefused(result, 4, "transport");
        result.Stderr.Should().Contain("gzip-encoded, but it is not valid gzip", result.Describe());
    }

    private static Task<CliResult> ApplyAsync(AttackScenario scenario, string feed) =>
        CliRunner.RunAsync(["apply", "--feed", feed, "--trust", scenario.TrustFile, "--target", scenario.Target, "--timeout", "50s", "--json"]);

    /// <summary>The server lists a request when its handler ends, which for an endless body is when the client has gone.</summary>
    private static async Task WaitForRequestAsync(StaticHostServer host, string path)
    {
        for (var i = 0; i < 200; i++)
        {
            if (host.Requests.Any(request => request.Path == path))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no request for {path} ended");
    }
}
