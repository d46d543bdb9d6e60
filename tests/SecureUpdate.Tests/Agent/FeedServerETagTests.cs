using System.Net;
using System.Net.Http.Headers;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>The test feed server's validators and request record, which the conditional-check and fleet tests rely on.</summary>
public sealed class FeedServerETagTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
    private FeedServer? _server;

    private FeedServer Server => _server!;

    private string FilePath => _temp.Combine("dir", "file.json");

    private Uri FileUrl => new(Server.Url + "/dir/file.json");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_temp.Combine("dir"));
        await File.WriteAllTextAsync(FilePath, "{\"n\":1}\n");
        _server = await FeedServer.StartAsync(_temp.Path);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Get_MatchingIfNoneMatch_Answers304WithoutBodyAndRecordsIt()
    {
        using var first = await _client.GetAsync(FileUrl);
        var etag = first.Headers.ETag;
        etag.Should().NotBeNull("the server sends a validator with every file");
        etag!.IsWeak.Should().BeFalse();

        using var request = new HttpRequestMessage(HttpMethod.Get, FileUrl);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _client.SendAsync(request);

        second.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await second.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        second.Headers.ETag.Should().Be(etag);
        Server.Requests.Select(r => (r.Path, r.Conditional, r.StatusCode)).Should().Equal(("dir/file.json", false, 200), ("dir/file.json", true, 304));
        Server.Requests[0].ContentLength.Should().Be(8);
        Server.Requests[1].At.Should().BeGreaterThanOrEqualTo(Server.Requests[0].At);
        Server.Requests.Should().OnlyContain(r => r.UserAgent == "");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/{0}")]
    [InlineData("\"other\", {0}")]
    public async Task Get_IfNoneMatchForms_MatchTheCurrentTag(string pattern)
    {
        using var first = await _client.GetAsync(FileUrl);
        var etag = first.Headers.ETag!.ToString();

        using var request = new HttpRequestMessage(HttpMethod.Get, FileUrl);
        request.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, etag)).Should().BeTrue();
        using var response = await _client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Get_FileChanged_ServesTheNewBodyWithANewTag()
    {
        using var first = await _client.GetAsync(FileUrl);
        var etag = first.Headers.ETag!;
        await File.WriteAllTextAsync(FilePath, "{\"n\":2}\n");

        using var request = new HttpRequestMessage(HttpMethod.Get, FileUrl);
        request.Headers.IfNoneMatch.Add(etag);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("probe", "7"));
        using var response = await _client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"n\":2}\n");
        response.Headers.ETag.Should().NotBe(etag);
        Server.Requests[^1].Should().Be(Server.Requests[^1] with { Path = "dir/file.json", UserAgent = "probe/7", Conditional = true, StatusCode = 200, ContentLength = 8 });
    }

    [Fact]
    public async Task Get_ETagsOff_SendsNoValidatorAndIgnoresIfNoneMatch()
    {
        Server.ETags = false;

        using var first = await _client.GetAsync(FileUrl);
        using var request = new HttpRequestMessage(HttpMethod.Get, FileUrl);
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        using var second = await _client.SendAsync(request);

        first.Headers.ETag.Should().BeNull();
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.Content.ReadAsStringAsync()).Should().Be("{\"n\":1}\n");
    }

    [Fact]
    public async Task Get_MissingFileAndArmedStatus_AreRecordedWithTheirStatus()
    {
        Server.RespondWithStatus("dir/file.json", 503, times: 1);

        using var failed = await _client.GetAsync(FileUrl);
        using var missing = await _client.GetAsync(new Uri(Server.Url + "/dir/missing.json"));

        Server.Requests.Select(r => (r.Path, r.StatusCode)).Should().Equal(("dir/file.json", 503), ("dir/missing.json", 404));
    }
}
