using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.InfrastructureTests;

/// <summary>The test feed server does what the attack tests rely on: each fault, exactly as armed.</summary>
public sealed class FeedServerTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] s_content = Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)).ToArray();

    private readonly TempFolder _temp = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
    private FeedServer? _server;

    private FeedServer Server => _server!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_temp.Combine("dir"));
        await File.WriteAllBytesAsync(_temp.Combine("dir", "file.bin"), s_content);
        _server = await FeedServer.StartAsync(_temp.Path);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Get_ExistingAndMissingFiles_ServesBytesOr404AndLogsPaths()
    {
        Server.Url.Should().StartWith("http://127.0.0.1:");

        (await _client.GetByteArrayAsync(Server.Url + "/dir/file.bin")).Should().Equal(s_content);
        (await _client.GetAsync(Server.Url + "/dir/missing.bin")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        Server.RequestLog.Should().Equal("dir/file.bin", "dir/missing.bin");
    }

    [Fact]
    public async Task RespondWithStatus_TwoTimes_FailsTwiceThenServes()
    {
        Server.RespondWithStatus("dir/file.bin", 503, times: 2);

        (await _client.GetAsync(Server.Url + "/dir/file.bin")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await _client.GetAsync(Server.Url + "/dir/file.bin")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await _client.GetByteArrayAsync(Server.Url + "/dir/file.bin")).Should().Equal(s_content);
        Server.RequestCount("dir/file.bin").Should().Be(3);
    }

    [Fact]
    public async Task CutShort_Once_BreaksTheFirstBodyThenServes()
    {
        Server.CutShort("dir/file.bin", times: 1);

        var cut = async () => await _client.GetByteArrayAsync(Server.Url + "/dir/file.bin");
        await cut.Should().ThrowAsync<Exception>("the body ends before its Content-Length");
        (await _client.GetByteArrayAsync(Server.Url + "/dir/file.bin")).Should().Equal(s_content);
    }

    [Fact]
    public async Task ServeEndless_ReadsMoreThanAnyCapWithoutLength()
    {
        Server.ServeEndless("dir/file.bin");

        using var response = await _client.GetAsync(Server.Url + "/dir/file.bin", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentLength.Should().BeNull();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (total < 20L * 1024 * 1024)
        {
            var read = await body.ReadAsync(buffer);
            read.Should().BePositive("the body never ends");
            total += read;
        }
    }

    [Fact]
    public async Task ServeSlowDrip_SendsOneByteAtATime()
    {
        Server.ServeSlowDrip("dir/file.bin", TimeSpan.FromMilliseconds(300));

        using var response = await _client.GetAsync(Server.Url + "/dir/file.bin", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentLength.Should().Be(s_content.Length);
        await using var body = await response.Content.ReadAsStreamAsync();
        var stopwatch = Stopwatch.StartNew();
        var received = 0;
        var buffer = new byte[100];
        while (received < 4)
        {
            received += await body.ReadAsync(buffer.AsMemory(received));
        }

        stopwatch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(600), "four bytes take at least three pauses");
        buffer[..4].Should().Equal(s_content[..4]);
    }

    [Fact]
    public async Task Get_WithRange_ServesThePartialContent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Server.Url + "/dir/file.bin");
        request.Headers.Range = new RangeHeaderValue(400, null);

        using var response = await _client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(s_content[400..]);
    }
}
