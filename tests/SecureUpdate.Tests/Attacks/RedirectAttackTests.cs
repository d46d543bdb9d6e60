using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// A feed host that redirects: to a mirror is fine (authenticity never depends on the host), but every hop is
/// checked before anything connects to it. A hop to another scheme (<c>file://</c>, <c>ftp://</c>), to plain
/// <c>http://</c> on a host that is not loopback (without <c>--allow-http</c>), or one hop too many is a
/// transport failure: exit 4, one clear line that never shows a redirect's credentials, target unchanged.
/// </summary>
public sealed class RedirectAttackTests
{
    public static TheoryData<string, string, bool> RefusedHops => new()
    {
        { "file:///etc/{0}", "only http:// and https:// redirects are followed", true },
        { "ftp://mirror.invalid/{0}", "only http:// and https:// redirects are followed", true },
        { "ftp://mirror:s3cret-pass@mirror.invalid/{0}", "only http:// and https:// redirects are followed", false },
        { "http://feed.invalid/{0}", "plain http:// is allowed only to loopback hosts", true },
        { "http://feed.invalid/{0}", "plain http:// is allowed only to loopback hosts", false },
        { "http://user:s3cret-pass@127.0.0.1:9/{0}", "a redirect must not carry credentials", true },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Apply_RedirectToALoopbackMirror_IsFollowedAndInstalls(bool installed)
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: installed);
        await using var redirector = await RedirectServer.StartAsync(path => $"{scenario.Server.Url}/{path}");

        var result = await ApplyAsync(scenario, redirector.Url);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        redirector.RequestLog.Should().NotBeEmpty();
        scenario.Server.RequestLog.Should().NotBeEmpty("the mirror served what the redirects pointed at");
    }

    [Theory]
    [MemberData(nameof(RefusedHops))]
    public async Task Apply_RedirectToARefusedHop_IsATransportFailureAndTargetUnchanged(string location, string reason, bool installed)
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: installed);
        await using var redirector = await RedirectServer.StartAsync(path => string.Format(System.Globalization.CultureInfo.InvariantCulture, location, path));

        var result = await ApplyAsync(scenario, redirector.Url);

        scenario.ShouldBeRefused(result, 4, "transport");
        result.Stderr.Should().Contain("The feed redirected").And.Contain(reason, result.Describe());
        (result.Stdout + result.Stderr).Should().NotContain("s3cret-pass", "a redirect's credentials are never shown\n{0}", result.Describe());
        redirector.RequestLog.Should().HaveCount(1, "a refused hop is not retried and nothing after it is fetched\n{0}", result.Describe());
    }

    [Fact]
    public async Task Apply_RedirectToPlainHttpOnAnotherHostWithAllowHttp_IsFollowed()
    {
        // Contrast with the refusals above: with --allow-http the same hop passes the rule and fails only when connecting.
        await using var scenario = await AttackScenario.CreateAsync();
        await using var redirector = await RedirectServer.StartAsync(path => $"http://feed.invalid/{path}");

        var result = await ApplyAsync(scenario, redirector.Url, "--allow-http");

        scenario.ShouldBeRefused(result, 4, "transport");
        result.Stderr.Should().NotContain("The feed redirected", result.Describe());
    }

    [Fact]
    public async Task Apply_EndlessRedirects_StopAfterFiveHops()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        RedirectServer? self = null;
        await using var redirector = self = await RedirectServer.StartAsync(path => $"{self!.Url}/again/{path}");

        var result = await ApplyAsync(scenario, redirector.Url);

        scenario.ShouldBeRefused(result, 4, "transport");
        result.Stderr.Should().Contain("more than 5 times", result.Describe());
        redirector.RequestLog.Should().HaveCount(6, "the first request and five redirects\n{0}", result.Describe());
    }

    private static Task<CliResult> ApplyAsync(AttackScenario scenario, string feed, params string[] extra) =>
        CliRunner.RunAsync(["apply", "--feed", feed, "--trust", scenario.TrustFile, "--target", scenario.Target, "--app", ReleaseInputs.App, "--timeout", "30s", "--json", .. extra]);
}
