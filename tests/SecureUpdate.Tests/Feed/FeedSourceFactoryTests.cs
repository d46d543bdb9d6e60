using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Feed;

namespace SecureUpdate.Tests.Feed;

public sealed class FeedSourceFactoryTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddSecureUpdate().BuildServiceProvider();
    private readonly MockFileSystem _fileSystem = new();

    public FeedSourceFactoryTests()
    {
        _fileSystem.AddDirectory("/srv/feed");
    }

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData("http://127.0.0.1:8080/feed")]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.1.2.3/feed/")]
    [InlineData("http://[::1]:5000/feed")]
    [InlineData("http://localhost/feed")]
    [InlineData("http://LOCALHOST:9000")]
    [InlineData("https://updates.example.com/feed")]
    [InlineData("https://203.0.113.7/feed")]
    public void Create_HttpsOrLoopbackHttp_ReturnsHttpSource(string feed)
    {
        using IFeedSource source = Create(feed, new SecureUpdateOptions());

        source.Should().BeOfType<HttpFeedSource>();
    }

    [Theory]
    [InlineData("http://updates.example.com/feed")]
    [InlineData("http://203.0.113.7/feed")]
    [InlineData("http://0.0.0.0/feed")]
    [InlineData("http://localhost.example.com/feed")]
    [InlineData("http://127.0.0.1.example.com/feed")]
    [InlineData("http://[2001:db8::1]/feed")]
    public void Create_PlainHttpToOtherHost_ThrowsUsage(string feed)
    {
        Action create = () => Create(feed, new SecureUpdateOptions()).Dispose();

        ConfigurationException ex = create.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Usage);
        ex.Stage.Should().Be(UpdateStage.Config);
    }

    [Theory]
    [InlineData("http://updates.example.com/feed")]
    [InlineData("http://203.0.113.7/feed")]
    public void Create_PlainHttpToOtherHostWhenAllowed_ReturnsHttpSource(string feed)
    {
        using IFeedSource source = Create(feed, new SecureUpdateOptions { AllowInsecureHttp = true });

        source.Should().BeOfType<HttpFeedSource>();
    }

    [Theory]
    [InlineData("https://user:secret@updates.example.com/feed")]
    [InlineData("https://token@updates.example.com/feed")]
    [InlineData("http://user:pw@127.0.0.1/feed")]
    [InlineData("https://updates.example.com/feed?token=abc")]
    [InlineData("https://updates.example.com/feed?")]
    [InlineData("https://updates.example.com/feed#top")]
    public void Create_UrlWithCredentialsQueryOrFragment_ThrowsUsage(string feed)
    {
        Action create = () => Create(feed, new SecureUpdateOptions { AllowInsecureHttp = true }).Dispose();

        ConfigurationException ex = create.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Usage);
        ex.Stage.Should().Be(UpdateStage.Config);
    }

    [Theory]
    [InlineData("ftp://updates.example.com/feed")]
    [InlineData("file:///srv/feed")]
    [InlineData("s3://bucket/feed")]
    [InlineData("gopher://127.0.0.1/feed")]
    public void Create_OtherScheme_ThrowsUsage(string feed)
    {
        Action create = () => Create(feed, new SecureUpdateOptions { AllowInsecureHttp = true }).Dispose();

        ConfigurationException ex = create.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Usage);
        ex.Stage.Should().Be(UpdateStage.Config);
    }

    [Fact]
    public void Create_ExistingLocalFolder_ReturnsLocalSource()
    {
        using IFeedSource source = Create("/srv/feed", new SecureUpdateOptions());

        source.Should().BeOfType<LocalFeedSource>();
    }

    [Fact]
    public void Create_MissingLocalFolder_ThrowsConfig()
    {
        Action create = () => Create("/srv/absent", new SecureUpdateOptions()).Dispose();

        ConfigurationException ex = create.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Stage.Should().Be(UpdateStage.Config);
    }

    [Fact]
    public void Create_LocalPathThatIsAFile_ThrowsConfig()
    {
        _fileSystem.AddFile("/srv/feed.json", new MockFileData("{}"));

        Action create = () => Create("/srv/feed.json", new SecureUpdateOptions()).Dispose();

        create.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
    }

    private IFeedSource Create(string feed, SecureUpdateOptions options) =>
        FeedSourceFactory.Create(feed, _fileSystem, _services.GetRequiredService<IHttpClientFactory>(), TimeProvider.System, options);
}
