using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Feed;

/// <summary>
/// <see cref="MirroredFeedSource"/> over real loopback servers, with short timeouts and no retries: a mirror
/// that hangs or stalls mid-body is passed over and asked last afterwards; a stale mirror ("not found") is
/// passed over, and only every mirror saying so is "not found"; a document over its cap is a refusal that is
/// not asked elsewhere; a blob reported as mismatched comes from another mirror next time. Every feed is
/// checked before anything is fetched, and a refused one among several is named with its secrets hidden.
/// </summary>
public sealed class MirroredFeedSourceTests : IAsyncLifetime, IDisposable
{
    private const string Blob = "blobs/sha256/0123";

    private readonly TempFolder _temp = new();
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSecureUpdate(options =>
        {
            options.RetryCount = 0;
            options.RetryBaseDelay = TimeSpan.Zero;
            options.PerTryTimeout = TimeSpan.FromMilliseconds(500);
            options.StallTimeout = TimeSpan.FromMilliseconds(500);
        })
        .BuildServiceProvider();

    private readonly byte[] _blob = ReleaseInputs.Bytes(3, 300_000);
    private FeedServer? _first;
    private FeedServer? _second;

    private FeedServer First => _first!;

    private FeedServer Second => _second!;

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "first", "second" })
        {
            Directory.CreateDirectory(_temp.Combine(name, "blobs", "sha256"));
            await File.WriteAllTextAsync(_temp.Combine(name, "a.json"), "{\"a\":1}");
            await File.WriteAllTextAsync(_temp.Combine(name, "b.json"), "{\"b\":2}");
            await File.WriteAllBytesAsync(_temp.Combine(name, "blobs", "sha256", "0123"), _blob);
        }

        _first = await FeedServer.StartAsync(_temp.Combine("first"));
        _second = await FeedServer.StartAsync(_temp.Combine("second"));
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }

    public void Dispose()
    {
        _services.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task ReadDocument_FirstMirrorHangs_ComesFromTheNextAndTheHangingOneIsAskedLastAfterwards()
    {
        using var hanging = new SilentListener();
        using var feed = Create(hanging.Url, Second.Url);

        var a = await feed.ReadDocumentAsync("a.json", 100, UpdateStage.Channel, CancellationToken.None);
        var connections = hanging.Connections;
        var b = await feed.ReadDocumentAsync("b.json", 100, UpdateStage.Manifest, CancellationToken.None);

        System.Text.Encoding.UTF8.GetString(a).Should().Be("{\"a\":1}");
        System.Text.Encoding.UTF8.GetString(b).Should().Be("{\"b\":2}");
        connections.Should().BeGreaterThanOrEqualTo(1, "the hanging mirror was asked first");
        hanging.Connections.Should().Be(connections, "a mirror that failed is tried last for the rest of the run");
    }

    [Fact]
    public async Task CopyBlob_FirstMirrorStallsMidBody_NextMirrorDeliversExactlyTheBytes()
    {
        First.ServeSlowDrip(Blob, TimeSpan.FromSeconds(2));
        using var feed = Create(First.Url, Second.Url);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var delivered = await feed.CopyBlobAsync(Blob, _blob.Length, new BlobDestination(destination, hash), CancellationToken.None);

        delivered.Should().BeTrue();
        destination.ToArray().Should().Equal(_blob, "what the stalled mirror wrote is not kept");
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(_blob));
        Second.RequestCount(Blob).Should().Be(1);
    }

    [Fact]
    public async Task ReadDocument_FirstMirrorIsStale_ComesFromTheNext()
    {
        File.Delete(_temp.Combine("first", "a.json"));
        using var feed = Create(First.Url, Second.Url);

        var a = await feed.ReadDocumentAsync("a.json", 100, UpdateStage.Trust, CancellationToken.None);

        System.Text.Encoding.UTF8.GetString(a).Should().Be("{\"a\":1}");
        First.RequestCount("a.json").Should().Be(1);
    }

    [Fact]
    public async Task ReadDocument_NoMirrorHasIt_IsNotFound()
    {
        using var feed = Create(First.Url, Second.Url);

        var read = () => feed.ReadDocumentAsync("trust/2.json", 100, UpdateStage.Trust, CancellationToken.None);

        var ex = (await read.Should().ThrowAsync<TransportException>()).Which;
        ex.IsNotFound.Should().BeTrue("the end of a trust chain is \"not found\" from every mirror");
        ex.Message.Should().Contain("Every mirror failed for 'trust/2.json'").And.Contain(First.Url).And.Contain(Second.Url);
    }

    [Fact]
    public async Task ReadDocument_NotFoundOnOneAndTheOtherDown_IsNotFound()
    {
        using var feed = Create(SilentListener.RefusingUrl(), First.Url);

        var read = () => feed.ReadDocumentAsync("trust/2.json", 100, UpdateStage.Trust, CancellationToken.None);

        (await read.Should().ThrowAsync<TransportException>()).Which.IsNotFound.Should().BeTrue("a mirror that is down does not turn the end of a trust chain into a failure");
    }

    [Fact]
    public async Task ReadDocument_FirstMirrorServesMoreThanTheCap_IsRefusedWithoutAskingTheNext()
    {
        await File.WriteAllTextAsync(_temp.Combine("first", "a.json"), new string(' ', 200));
        using var feed = Create(First.Url, Second.Url);

        var read = () => feed.ReadDocumentAsync("a.json", 100, UpdateStage.Channel, CancellationToken.None);

        (await read.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.TooLarge);
        Second.RequestCount("a.json").Should().Be(0, "a document that fails verification is a refusal, not a reason to ask elsewhere");
    }

    [Fact]
    public async Task CopyBlob_AfterAMismatchIsReported_ComesFromTheOtherMirror()
    {
        using var feed = Create(First.Url, Second.Url);

        await CopyAsync(feed);
        feed.BlobMismatched(Blob);
        await CopyAsync(feed);

        First.RequestCount(Blob).Should().Be(1);
        Second.RequestCount(Blob).Should().Be(1, "the mirror that served bytes not matching their digest is asked last");
        feed.BlobAttempts.Should().Be(2, "each mirror once");
    }

    [Fact]
    public void Create_ABadFeedAmongSeveral_IsRefusedUpFrontNamingItWithItsSecretsHidden()
    {
        var create = () => Create(First.Url, "https://user:s3cret-pass@updates.example.com/feed?token=t0ken").Dispose();

        var ex = create.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Usage);
        ex.Message.Should().StartWith("Feed 2 of 2 ('https://user:***@updates.example.com/feed?***'): ")
            .And.NotContain("s3cret-pass").And.NotContain("t0ken");
        First.RequestLog.Should().BeEmpty("nothing is fetched before every feed is checked");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void FeedLocations_NotExactlyOneOfFeedAndFeeds_IsAUsageError(bool one, bool list)
    {
        var of = () => FeedLocations.Of(one ? "https://a.example/feed" : null, list ? ["https://b.example/feed"] : null);

        of.Should().Throw<ConfigurationException>().Which.Setting.Should().Be("Feed");
    }

    [Fact]
    public void FeedLocations_AnEmptyEntry_IsAUsageErrorNamingItsPosition()
    {
        var of = () => FeedLocations.Of(null, ["https://a.example/feed", " "]);

        of.Should().Throw<ConfigurationException>().WithMessage("Feed 2 of 2 is empty.");
    }

    private async Task CopyAsync(IFeedSource feed)
    {
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        (await feed.CopyBlobAsync(Blob, _blob.Length, new BlobDestination(destination, hash), CancellationToken.None)).Should().BeTrue();
    }

    private IFeedSource Create(params string[] feeds) =>
        FeedSourceFactory.Create(
            feeds,
            new FileSystem(),
            _services.GetRequiredService<IHttpClientFactory>(),
            TimeProvider.System,
            _services.GetRequiredService<SecureUpdateOptions>(),
            NullLogger.Instance);
}
