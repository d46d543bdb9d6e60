using System.Runtime.Versioning;
using System.Security.Cryptography;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Tests.Staging;

namespace SecureUpdate.Tests.Platform;

/// <summary>
/// <see cref="DiskOperations.OpenToShare"/>, the open of an installed copy an update hashes and then links or clones,
/// and <see cref="LocalHasher"/> reading it at offsets: on the real disk, with real special files and another user's file.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OpenToShareTests : IDisposable
{
    private const int NoAccessTime = 0x40000; // O_NOATIME
    private const int NonBlocking = 0x800; // O_NONBLOCK
    private static readonly DateTime s_longAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
    private readonly TempFolder _temp = new();

    public static TheoryData<string> Kinds => new() { SpecialFiles.NamedPipe, SpecialFiles.CharacterDevice, SpecialFiles.BlockDevice, SpecialFiles.Socket };

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void OpenToShare_OwnFile_IsStampedAndHashedWithoutTouchingItsAccessTime()
    {
        var path = _temp.Combine("installed.bin");
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        File.WriteAllBytes(path, bytes);
        File.SetLastAccessTimeUtc(path, s_longAgo);

        using (var handle = DiskOperations.OpenToShare(path, out var stamp))
        {
            handle.Should().NotBeNull();
            (UnixFiles.DescriptorFlags(handle!) & NoAccessTime).Should().Be(NoAccessTime, "hashing every file of a version would otherwise write every inode it reads");
            stamp.Size.Should().Be(bytes.Length);
            stamp.Inode.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(HostCommand.Stat(path).Inode.Split(':')[1], "the stamp names the inode that is open");
            stamp.Permissions.Should().Be(File.GetUnixFileMode(path));
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            LocalHasher.Hash(handle!, bytes.Length, hash, progress: null, CancellationToken.None).Should().Be(bytes.Length);
            hash.GetHashAndReset().Should().Equal(SHA256.HashData(bytes));
        }

        File.GetLastAccessTimeUtc(path).Should().Be(s_longAgo, "the copy was read without O_NOATIME's side effect");
        File.ReadAllBytes(path);
        File.GetLastAccessTimeUtc(path).Should().BeAfter(s_longAgo, "an ordinary read of the same file does move it (relatime)");
    }

    [Fact]
    public void OpenToShare_AnotherUsersFileWithoutTheOwnersPrivilege_IsOpenedAsUsual()
    {
        // Only the owner (or CAP_FOWNER, which root has) may ask for O_NOATIME: anyone else gets EPERM, and the file
        // is opened again without it rather than left unused.
        var path = _temp.Combine("foreign.bin");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(1_000));
        UnixFiles.ChangeOwner(path);

        var (flags, owner) = UnixFiles.WithoutCapability(UnixFiles.CapabilityFileOwner, () =>
        {
            using var handle = DiskOperations.OpenToShare(path, out var stamp);
            return (UnixFiles.DescriptorFlags(handle!), stamp.Owner);
        });

        (flags & NoAccessTime).Should().Be(0);
        owner.Should().Be(UnixFiles.Nobody);
    }

    [Fact]
    public void OpenToShare_LeavesTheDescriptorNonBlocking_AndRegularFilesReadToTheirEnd()
    {
        // Nothing clears O_NONBLOCK here: a regular file ignores it, so the whole file is read in full.
        var path = _temp.Combine("large.bin");
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        File.WriteAllBytes(path, bytes);

        using var handle = DiskOperations.OpenToShare(path, out _);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        (UnixFiles.DescriptorFlags(handle!) & NonBlocking).Should().Be(NonBlocking);
        LocalHasher.Hash(handle!, bytes.Length - 1, hash, progress: null, CancellationToken.None).Should().Be(bytes.Length, "one byte past the cap shows the file is longer than signed");
        hash.GetHashAndReset().Should().Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 1)), "only the bytes up to the cap are hashed");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenToShare_SpecialFile_IsRefusedWithoutWaiting(string kind)
    {
        var path = _temp.Combine("special");
        using var special = SpecialFiles.Make(path, kind);

        var open = () => Task.Run(() => DiskOperations.OpenToShare(path, out _)).WaitAsync(TimeSpan.FromSeconds(30));

        (await open.Should().ThrowAsync<NotRegularFileException>()).Which.Problem.Should().Be(SpecialFiles.Described(kind));
    }

    [Fact]
    public void OpenToShare_Symlink_IsRefusedNotFollowed()
    {
        var file = _temp.Combine("file");
        File.WriteAllText(file, "target");
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, file);

        var open = () => DiskOperations.OpenToShare(link, out _);

        open.Should().Throw<NotRegularFileException>().Which.Problem.Should().Be("is a symbolic link, not a regular file");
    }

    [Fact]
    public void OpenToShare_Missing_IsFileNotFound()
    {
        var open = () => DiskOperations.OpenToShare(_temp.Combine("missing"), out _);

        open.Should().Throw<FileNotFoundException>();
    }
}
