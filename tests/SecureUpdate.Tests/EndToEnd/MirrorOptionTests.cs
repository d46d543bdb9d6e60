using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>apply --feed</c> given more than once: mirrors in order, each checked before anything is fetched. A
/// bad one among them is a usage error (exit 2) naming which, with its credentials, query and fragment
/// hidden, on one stderr line and one JSON object; nothing is created and no mirror is asked. A folder and
/// a URL can be mirrors of each other.
/// </summary>
public sealed class MirrorOptionTests
{
    public static TheoryData<string, string> BadMirrors => new()
    {
        { "https://user:s3cret-pass@updates.example.com/feed", "Feed 2 of 2 ('https://user:***@updates.example.com/feed'): The feed URL must not carry credentials" },
        { "https://updates.example.com/feed?token=s3cret-pass", "Feed 2 of 2 ('https://updates.example.com/feed?***'): The feed URL must not carry credentials" },
        { "http://feed.invalid/feed", "Feed 2 of 2 ('http://feed.invalid/feed'): Plain http:// is allowed only to loopback hosts" },
        { "ftp://s3cret-pass@mirror.invalid/feed", "Feed 2 of 2 ('ftp://***@mirror.invalid/feed'): The feed 'ftp://***@mirror.invalid/feed' is neither" },
    };

    [Theory]
    [MemberData(nameof(BadMirrors))]
    public async Task Apply_RepeatedFeedWithABadOne_ExitsTwoNamingItRedactedAndFetchesNothing(string bad, string message)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V2), temp.Combine("feed"));
        await using var server = await FeedServer.StartAsync(temp.Combine("feed"));
        var target = temp.Combine("target");

        var result = await CliRunner.RunAsync(
            "apply", "--feed", server.Url, "--feed", bad, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.JsonString("outcome").Should().Be("failed", result.Describe());
        result.Stderr.Should().Contain(message, result.Describe());
        (result.Stdout + result.Stderr).Should().NotContain("s3cret-pass", "a feed's secrets are never shown\n{0}", result.Describe());
        server.RequestLog.Should().BeEmpty("every feed is checked before anything is fetched\n{0}", result.Describe());
        Directory.Exists(target).Should().BeFalse(result.Describe());
    }

    [Fact]
    public async Task Apply_AFolderAndAUrlAsMirrors_InstallsFromTheFolderAndAsksTheUrlOnlyForANewerTrustRoot()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        DirectoryCopy.Copy(template.Feed(ReleaseInputs.V2), temp.Combine("feed"));
        await using var server = await FeedServer.StartAsync(temp.Combine("feed"));
        var target = temp.Combine("target");

        // A folder feed must exist when given: a missing one among mirrors is refused like a single one.
        var missing = await CliRunner.RunAsync(
            "apply", "--feed", temp.Combine("nowhere"), "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App);
        missing.ShouldExitWith(2).ShouldReportFailureClearly();
        missing.Stderr.Should().Contain("Feed 1 of 2", missing.Describe());

        var result = await CliRunner.RunAsync(
            "apply", "--feed", temp.Combine("feed"), "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V2);
        server.RequestLog.Should().NotBeEmpty().And.OnlyContain(path => path.StartsWith("trust/", StringComparison.Ordinal),
            "the folder delivered everything; a trust root it does not have is asked of every mirror, so a stale one cannot hide a rotation\n{0}", result.Describe());
    }
}
