using System.Security.Cryptography;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Platform;

public sealed class StreamCopierTests
{
    private static readonly TimeSpan s_noStall = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 10)]
    [InlineData(1, 1)]
    [InlineData(300_000, 1_000_000)]
    [InlineData(300_000, 300_000)]
    [InlineData(131_072, 131_072)]
    [InlineData(131_073, 131_073)]
    public async Task CopyAsync_SourceWithinCap_CopiesExactlyAndHashes(int length, long cap)
    {
        byte[] data = RandomNumberGenerator.GetBytes(length);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        (long copied, bool overflow) = await StreamCopier.CopyAsync(new MemoryStream(data), destination, cap, hash, s_noStall, TimeProvider.System, CancellationToken.None);

        copied.Should().Be(length);
        overflow.Should().BeFalse();
        destination.ToArray().Should().Equal(data);
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(data));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(11, 10)]
    [InlineData(300_001, 300_000)]
    [InlineData(1_000_000, 131_072)]
    [InlineData(131_073, 131_072)]
    public async Task CopyAsync_SourceLongerThanCap_ReportsOverflowWithoutWritingPastCap(int length, long cap)
    {
        byte[] data = RandomNumberGenerator.GetBytes(length);
        using var destination = new MemoryStream();

        (long copied, bool overflow) = await StreamCopier.CopyAsync(new MemoryStream(data), destination, cap, null, s_noStall, TimeProvider.System, CancellationToken.None);

        overflow.Should().BeTrue();
        destination.Length.Should().BeLessThanOrEqualTo(cap);
        copied.Should().Be(destination.Length);
        destination.ToArray().Should().Equal(data.Take((int)destination.Length));
    }

    [Theory]
    [InlineData(7, 20, 30)]
    [InlineData(3, 20, 21)]
    [InlineData(1, 5, 6)]
    [InlineData(64, 100, 1000)]
    public async Task CopyAsync_TricklingSourceLongerThanCap_NeverWritesPastCap(int chunk, long cap, int length)
    {
        byte[] data = RandomNumberGenerator.GetBytes(length);
        var source = new TricklingStream(data, chunk);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        (long copied, bool overflow) = await StreamCopier.CopyAsync(source, destination, cap, hash, s_noStall, TimeProvider.System, CancellationToken.None);

        overflow.Should().BeTrue();
        destination.Length.Should().BeLessThanOrEqualTo(cap);
        copied.Should().Be(destination.Length);
        destination.ToArray().Should().Equal(data.Take((int)copied));
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(data.AsSpan(0, (int)copied)));
        source.LargestRequest.Should().BeLessThanOrEqualTo((int)cap + 1);
    }

    [Fact]
    public async Task CopyAsync_TricklingSourceWithinCap_CopiesExactlyAndHashes()
    {
        byte[] data = RandomNumberGenerator.GetBytes(1000);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        (long copied, bool overflow) = await StreamCopier.CopyAsync(new TricklingStream(data, 13), destination, 1000, hash, s_noStall, TimeProvider.System, CancellationToken.None);

        copied.Should().Be(1000);
        overflow.Should().BeFalse();
        destination.ToArray().Should().Equal(data);
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(data));
    }

    [Fact]
    public async Task CopyAsync_SourceStallsLongerThanStallTimeout_ThrowsStallException()
    {
        var source = new StallingStream();
        using var destination = new MemoryStream();

        Func<Task> copy = () => StreamCopier.CopyAsync(source, destination, 1000, null, TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);

        StallException ex = (await copy.Should().ThrowAsync<StallException>()).Which;
        ex.Should().BeAssignableTo<IOException>("a stall is transient and retried like other I/O failures");
        source.Reads.Should().Be(1);
        destination.Length.Should().Be(0);
    }

    [Fact]
    public async Task CopyAsync_CallerCancelsDuringStall_ThrowsOperationCanceledNotStall()
    {
        var source = new StallingStream();
        using var destination = new MemoryStream();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Func<Task> copy = () => StreamCopier.CopyAsync(source, destination, 1000, null, Timeout.InfiniteTimeSpan, TimeProvider.System, cancellation.Token);

        // The caller's own cancellation is not a stall: it must not be retried as a transient I/O failure.
        await copy.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task CopyAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        using var destination = new MemoryStream();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        Func<Task> copy = () => StreamCopier.CopyAsync(new StallingStream(), destination, 1000, null, s_noStall, TimeProvider.System, cancellation.Token);

        await copy.Should().ThrowAsync<OperationCanceledException>();
    }
}
