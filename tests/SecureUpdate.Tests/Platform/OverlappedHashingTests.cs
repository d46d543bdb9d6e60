using System.Runtime.Versioning;
using System.Security.Cryptography;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Platform;

/// <summary>
/// The copy hashes one buffer on another thread while it reads and writes the next: whatever the size, the chunking of
/// the source or the point where it stops, the hash holds exactly the bytes written, in order; a write that fails stops
/// the copy with that failure; local files are read and written through the real disk (a staging file, written back early).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OverlappedHashingTests
{
    private const int Buffer = 256 * 1024;
    private static readonly TimeSpan s_noStall = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(2 * Buffer, 65_536)]
    [InlineData((2 * Buffer) + 1, 65_536)]
    [InlineData((5 * Buffer) - 1, 100_003)]
    [InlineData(3_000_000, 7_919)]
    [InlineData(3_000_000, 1_000_000)]
    public async Task CopyAsync_ManyBuffersInIrregularReads_HashesExactlyWhatWasWrittenInOrder(int length, int chunk)
    {
        byte[] data = RandomNumberGenerator.GetBytes(length);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        (long copied, bool overflow) = await StreamCopier.CopyAsync(new TricklingStream(data, chunk), destination, length, hash, s_noStall, TimeProvider.System, CancellationToken.None);

        copied.Should().Be(length);
        overflow.Should().BeFalse();
        destination.ToArray().Should().Equal(data);
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(data));
    }

    [Theory]
    [InlineData(3 * Buffer, (2 * Buffer) + 10)]
    [InlineData(3_000_000, 2_999_999)]
    [InlineData(3_000_000, Buffer)]
    public async Task CopyAsync_SourceLongerThanCapAfterManyBuffers_HashHoldsOnlyTheCopiedPrefix(int length, long cap)
    {
        byte[] data = RandomNumberGenerator.GetBytes(length);
        using var destination = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        (long copied, bool overflow) = await StreamCopier.CopyAsync(new TricklingStream(data, 50_000), destination, cap, hash, s_noStall, TimeProvider.System, CancellationToken.None);

        overflow.Should().BeTrue();
        copied.Should().Be(destination.Length).And.BeLessThanOrEqualTo(cap);
        destination.ToArray().Should().Equal(data.Take((int)copied));
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(data.AsSpan(0, (int)copied)), "the hash waits for the hashing thread and holds the written bytes only");
    }

    [Fact]
    public async Task CopyAsync_WriteFailsAfterSomeBuffers_ThrowsThatFailureAndTheHashCanBeReused()
    {
        byte[] data = RandomNumberGenerator.GetBytes(3_000_000);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        Func<Task> copy = () => StreamCopier.CopyAsync(new MemoryStream(data), new FailingStream(failAfter: 3), data.Length, hash, s_noStall, TimeProvider.System, CancellationToken.None);

        (await copy.Should().ThrowAsync<IOException>()).WithMessage("*disk full*");
        _ = hash.GetHashAndReset();
        hash.AppendData(data);
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(data), "no hashing is left running on the hash after the copy returned");
    }

    [Fact]
    public async Task CopyAsync_RealFileIntoStagingFile_CopiesAndHashesThroughTheDisk()
    {
        using var temp = new TempFolder();
        byte[] data = RandomNumberGenerator.GetBytes((20 * 1024 * 1024) + 12_345);
        string source = temp.Combine("source.bin");
        string staged = temp.Combine("staged.bin");
        await File.WriteAllBytesAsync(source, data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var disk = new DiskOperations();

        using (var input = DiskOperations.OpenRegularFile(source))
        using (var output = disk.CreateStagingFile(staged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead))
        {
            (long copied, bool overflow) = await StreamCopier.CopyAsync(input, output, data.Length, hash, s_noStall, TimeProvider.System, CancellationToken.None);
            copied.Should().Be(data.Length);
            overflow.Should().BeFalse();
        }

        hash.GetHashAndReset().Should().Equal(SHA256.HashData(data));
        (await File.ReadAllBytesAsync(staged)).Should().Equal(data);
        File.GetUnixFileMode(staged).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "the mode is set exactly on the descriptor");
    }

    [Fact]
    public void CreateStagingFile_PathExistsOrIsASymlink_RefusesWithoutTouchingIt()
    {
        using var temp = new TempFolder();
        var disk = new DiskOperations();
        string existing = temp.Combine("existing");
        File.WriteAllText(existing, "kept");
        string elsewhere = temp.Combine("elsewhere");
        File.WriteAllText(elsewhere, "not followed");
        string link = temp.Combine("link");
        File.CreateSymbolicLink(link, elsewhere);

        Action overExisting = () => disk.CreateStagingFile(existing).Dispose();
        Action throughLink = () => disk.CreateStagingFile(link).Dispose();

        overExisting.Should().Throw<IOException>();
        throughLink.Should().Throw<IOException>();
        File.ReadAllText(existing).Should().Be("kept", "a staging file is created new, never truncating what is there");
        File.ReadAllText(elsewhere).Should().Be("not followed");
    }

    /// <summary>A destination whose writes fail after a number of them, as a full disk does.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _writes;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (++_writes > failAfter)
            {
                throw new IOException("No space left on device (disk full)");
            }
        }
    }
}
