using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Feed;

public sealed class LocalFeedSourceTests : IDisposable
{
    private readonly TempFolder _feed = new();
    private readonly LocalFeedSource _source;

    public LocalFeedSourceTests()
    {
        _source = new LocalFeedSource(new FileSystem(), _feed.Path, TimeProvider.System, TimeSpan.FromSeconds(30));
        Directory.CreateDirectory(_feed.Combine("demo", "stable"));
    }

    public void Dispose()
    {
        _source.Dispose();
        _feed.Dispose();
    }

    [Fact]
    public async Task ReadDocumentAsync_WithinCap_ReturnsExactBytes()
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(100);
        File.WriteAllBytes(_feed.Combine("demo", "stable", "channel.json"), bytes);

        byte[] read = await _source.ReadDocumentAsync("demo/stable/channel.json", 100, UpdateStage.Channel, CancellationToken.None);

        read.Should().Equal(bytes);
    }

    [Fact]
    public async Task ReadDocumentAsync_OneByteOverCap_ThrowsTooLarge()
    {
        File.WriteAllBytes(_feed.Combine("demo", "stable", "channel.json"), new byte[101]);

        Func<Task> read = () => _source.ReadDocumentAsync("demo/stable/channel.json", 100, UpdateStage.Channel, CancellationToken.None);

        VerificationException ex = (await read.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.TooLarge);
        ex.Stage.Should().Be(UpdateStage.Channel);
    }

    [Fact]
    public async Task ReadDocumentAsync_Missing_ThrowsTransport()
    {
        Func<Task> read = () => _source.ReadDocumentAsync("demo/stable/manifests/9.9.9.json", 100, UpdateStage.Manifest, CancellationToken.None);

        TransportException ex = (await read.Should().ThrowAsync<TransportException>()).Which;
        ex.Code.Should().Be(ErrorCode.Transport);
        ex.Stage.Should().Be(UpdateStage.Manifest);
    }

    [Theory]
    [InlineData(10, 10, true)]
    [InlineData(9, 10, false)]
    [InlineData(11, 10, false)]
    [InlineData(0, 10, false)]
    public async Task CopyBlobAsync_BlobLength_ReturnsWhetherItIsExactlyTheSignedSize(int length, long size, bool expected)
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(length);
        Directory.CreateDirectory(_feed.Combine("blobs", "sha256"));
        File.WriteAllBytes(_feed.Combine("blobs", "sha256", "x"), bytes);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        bool complete = await _source.CopyBlobAsync("blobs/sha256/x", size, new BlobDestination(destination, hash), CancellationToken.None);

        complete.Should().Be(expected);
        destination.Length.Should().BeLessThanOrEqualTo(size);
        if (expected)
        {
            destination.ToArray().Should().Equal(bytes);
            hash.GetHashAndReset().Should().Equal(SHA256.HashData(bytes));
        }
    }
}
