using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>Feeds where users put them: under a URL path of a shared host, and on named channels.</summary>
public sealed class FeedLocationTests
{
    [Theory]
    [InlineData("/mirror/demo-feed")]
    [InlineData("/mirror/demo-feed/")]
    public async Task Apply_FeedUnderUrlPath_InstallsFromThatPath(string urlPath)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V2), temp.Combine("site", "mirror", "demo-feed"));
        await using var server = await FeedServer.StartAsync(temp.Combine("site"));
        var target = temp.Combine("target");

        var result = await CliRunner.RunAsync(
            "apply", "--feed", server.Url + urlPath, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V2);
        server.RequestLog.Should().OnlyContain(path => path.StartsWith("mirror/demo-feed/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_NamedChannel_InstallsThatChannelsReleaseAndStatusNamesIt()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V1), feed);
        (await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V2, "--channel", "beta",
            "--input", template.InputFolder(ReleaseInputs.V2), "--key", template.KeyFile, "--json"))
            .ShouldExitWith(0).JsonString("channel").Should().Be("beta");
        await using var server = await FeedServer.StartAsync(feed);
        var target = temp.Combine("target");

        var result = await CliRunner.RunAsync(
            "apply", "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--channel", "beta", "--json");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V2);
        server.RequestLog.Should().NotContain(path => path.StartsWith($"{ReleaseInputs.App}/{ReleaseInputs.Channel}/", StringComparison.Ordinal), "stable is not read");
        var status = (await CliRunner.RunAsync("status", "--target", target, "--json")).ShouldExitWith(0);
        StatusReader.Channel(status).Should().Be("beta", status.Describe());
    }
}
