using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Feed;

/// <summary>
/// A host that sends no ETag but <c>Last-Modified</c>: the check keeps the date as its validator and asks
/// again with <c>If-Modified-Since</c>; an unchanged pointer costs one empty 304, a changed one is sent and
/// verified in full. A date less than a second before the response's own (here: in the future) is no
/// validator, since the file may change again within that second. Also with several mirrors, where the
/// pointer comes from the first that answers.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LastModifiedValidatorTests : IAsyncLifetime, IDisposable
{
    private const string ChannelPath = "demo/stable/channel.json";

    private readonly ReleaseWorkspace _workspace = new();
    private StaticHostServer? _host;

    public LastModifiedValidatorTests()
    {
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo\n", executable: true);
        _workspace.WriteInput("README.txt", "Demo 1.0.0\n");
    }

    private StaticHostServer Host => _host!;

    public async Task InitializeAsync() => _host = await StaticHostServer.StartAsync(_workspace.Feed);

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Check_HostWithLastModifiedOnly_GetsNotModifiedFromA304ThenAvailableAfterANewRelease(bool behindADownMirror)
    {
        await PublishAsync("1.0.0");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        await PublishAsync("1.1.0");
        Backdate(ChannelPath);
        string[] feeds = behindADownMirror ? [SilentListener.RefusingUrl(), Host.Url] : [Host.Url];

        var first = await CheckAsync(feeds, null);

        first.Outcome.Should().Be(UpdateCheckOutcome.Available);
        first.ETag.Should().MatchRegex(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$", "without an ETag the Last-Modified date is the validator");
        var afterFirst = Host.Requests.Count;

        var second = await CheckAsync(feeds, first.ETag);

        second.Outcome.Should().Be(UpdateCheckOutcome.NotModified);
        second.ETag.Should().Be(first.ETag);
        Host.Requests.Skip(afterFirst).Should().ContainSingle("an unchanged pointer costs one request, without its signatures")
            .Which.Should().Match<HostedRequest>(r => r.Path == ChannelPath && r.IfModifiedSince == first.ETag && r.StatusCode == 304 && r.BytesSent == 0);

        await PublishAsync("1.2.0");
        Backdate(ChannelPath, TimeSpan.FromMinutes(1));
        var afterSecond = Host.Requests.Count;
        var third = await CheckAsync(feeds, second.ETag);

        third.Outcome.Should().Be(UpdateCheckOutcome.Available);
        third.Version.Should().Be("1.2.0");
        third.ETag.Should().NotBe(first.ETag);
        Host.Requests.Skip(afterSecond).Should().Contain(r => r.Path == ChannelPath && r.IfModifiedSince == second.ETag && r.StatusCode == 200, "the changed pointer is sent in full");
        Host.Requests.Skip(afterSecond).Should().Contain(r => r.Path == ChannelPath + ".sig", "a changed pointer is verified again");
    }

    [Fact]
    public async Task Check_LastModifiedNotBeforeTheResponseDate_IsNoValidator()
    {
        await PublishAsync("1.0.0");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        File.SetLastWriteTimeUtc(Path.Combine(_workspace.Feed, ChannelPath), DateTime.UtcNow.AddMinutes(5));

        var check = await CheckAsync([Host.Url], null);

        check.Outcome.Should().Be(UpdateCheckOutcome.NoUpdate);
        check.ETag.Should().BeNull("a pointer that may still change within the same second of its date cannot be asked for conditionally");
    }

    /// <summary>Moves the file's time back (default two hours), so its date is an unambiguous validator and differs from the one before.</summary>
    private void Backdate(string relative, TimeSpan? by = null) =>
        File.SetLastWriteTimeUtc(Path.Combine(_workspace.Feed, relative), DateTime.UtcNow - (by ?? TimeSpan.FromHours(2)));

    private Task<UpdateCheck> CheckAsync(string[] feeds, string? validator) =>
        _workspace.Client.CheckForUpdateAsync(new UpdateCheckRequest
        {
            Feed = feeds.Length == 1 ? feeds[0] : null,
            Feeds = feeds.Length == 1 ? null : feeds,
            Trust = _workspace.Trust,
            Target = _workspace.Folder,
            ETag = validator,
        });

    private async Task PublishAsync(string version)
    {
        _workspace.WriteInput("README.txt", $"Demo {version}\n");
        await _workspace.PublishAsync(version);
    }
}
