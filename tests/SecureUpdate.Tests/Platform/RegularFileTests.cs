using System.Globalization;
using System.IO.Abstractions;
using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Platform;

/// <summary>
/// <see cref="DiskOperations.OpenRegularFile"/>, the one open of every local read, on real special
/// files: refused on the descriptor, before a byte is read and without waiting for a pipe's writer;
/// a regular file is read with blocking reads again. A hang fails through the deadline of <see cref="Open"/>.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RegularFileTests : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);
    private readonly TempFolder _temp = new();

    public static TheoryData<string> Kinds => new() { SpecialFiles.NamedPipe, SpecialFiles.CharacterDevice, SpecialFiles.BlockDevice, SpecialFiles.Socket };

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OpenRegularFile_RegularFile_ReadsItsBytesWithBlockingReads()
    {
        var path = _temp.Combine("file");
        File.WriteAllText(path, "regular");

        using var stream = await Open(path);

        // O_NONBLOCK was only for the open: /proc shows the descriptor's flags in octal.
        var flags = UnixFiles.DescriptorFlags(stream.SafeFileHandle);
        (flags & 0x800).Should().Be(0, "the descriptor is blocking again once it is known to be a regular file (flags {0})", Convert.ToString(flags, 8));
        new StreamReader(stream).ReadToEnd().Should().Be("regular");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task OpenRegularFile_SpecialFile_IsRefusedSayingWhatItIs(string kind)
    {
        var path = _temp.Combine("special");
        using var special = SpecialFiles.Make(path, kind);

        var open = () => Open(path);

        var refused = (await open.Should().ThrowAsync<NotRegularFileException>()).Which;
        refused.FilePath.Should().Be(path);
        refused.Problem.Should().Be(SpecialFiles.Described(kind));
        refused.Message.Should().Be($"'{path}' {SpecialFiles.Described(kind)}");
    }

    [Fact]
    public async Task OpenRegularFile_Folder_IsRefused()
    {
        var open = () => Open(_temp.CreateFolder("folder"));

        (await open.Should().ThrowAsync<NotRegularFileException>()).Which.Problem.Should().Be("is a folder, not a regular file");
    }

    [Fact]
    public async Task OpenRegularFile_SymlinkToNamedPipe_IsRefusedAsThePipe()
    {
        var pipe = _temp.Combine("pipe");
        UnixFiles.MakeNamedPipe(pipe);
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, pipe);

        var open = () => Open(link);

        (await open.Should().ThrowAsync<NotRegularFileException>()).Which.Problem.Should().Be(SpecialFiles.Described(SpecialFiles.NamedPipe));
    }

    [Fact]
    public async Task OpenRegularFile_SymlinkWithNoFollow_IsRefusedAndFollowedOtherwise()
    {
        var file = _temp.Combine("file");
        File.WriteAllText(file, "target");
        var link = _temp.Combine("link");
        File.CreateSymbolicLink(link, file);

        var noFollow = () => Open(link, noFollow: true);

        (await noFollow.Should().ThrowAsync<NotRegularFileException>()).Which.Problem.Should().Be("is a symbolic link, not a regular file");
        using var followed = await Open(link);
        new StreamReader(followed).ReadToEnd().Should().Be("target");
    }

    [Fact]
    public async Task OpenRegularFile_Missing_IsFileNotFound()
    {
        var open = () => Open(_temp.Combine("missing"));

        await open.Should().ThrowAsync<FileNotFoundException>();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ReadCapped_SpecialFile_IsAConfigurationErrorNamingPathAndKind(string kind)
    {
        var path = _temp.Combine("trust.pub");
        using var special = SpecialFiles.Make(path, kind);

        var read = () => Task.Run(() => LocalFiles.ReadCapped(new FileSystem(), path, 1024, "trust file")).WaitAsync(s_deadline);

        var refused = (await read.Should().ThrowAsync<ConfigurationException>()).Which;
        refused.Message.Should().Be($"The trust file '{path}' {SpecialFiles.Described(kind)}; refusing to read it.");
        refused.Code.Should().Be(ErrorCode.Config);
        refused.Path.Should().Be(path);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AppendDurably_SpecialFile_IsRefusedWithoutWritingOrWaiting(string kind)
    {
        // The event log is appended to while the lock is held: a named pipe there must not block it.
        var path = _temp.Combine("events.log");
        using var special = SpecialFiles.Make(path, kind);

        var append = () => Task.Run(() => new DiskOperations().AppendDurably(path, "{}"u8)).WaitAsync(s_deadline);

        var refused = (await append.Should().ThrowAsync<NotRegularFileException>()).Which;
        refused.Problem.Should().Be(SpecialFiles.Described(kind));
        SpecialFiles.FileType(path).Should().NotBe(0x8000u, "the special file was neither written nor replaced");
    }

    [Fact]
    public async Task AppendDurably_Symlink_IsNotFollowed()
    {
        var outside = _temp.Combine("outside");
        File.WriteAllText(outside, "");
        var path = _temp.Combine("events.log");
        File.CreateSymbolicLink(path, outside);

        var append = () => Task.Run(() => new DiskOperations().AppendDurably(path, "{}"u8)).WaitAsync(s_deadline);

        await append.Should().ThrowAsync<Exception>();
        File.ReadAllText(outside).Should().BeEmpty("nothing is written through a symlink");
    }

    [Theory]
    [InlineData("600", false)]
    [InlineData("400", false)]
    [InlineData("640", true)]
    [InlineData("644", true)]
    [InlineData("602", true)]
    public void ReadCapped_PrivateFile_TellsWhetherOthersMayReadOrWriteIt(string octalMode, bool expected)
    {
        var path = _temp.Combine("release.key");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octalMode, 8));

        LocalFiles.ReadCapped(new FileSystem(), path, 1024, "private key file", out var accessibleByOthers).Should().Equal("{}"u8.ToArray());

        accessibleByOthers.Should().Be(expected, "mode {0}", octalMode.ToString(CultureInfo.InvariantCulture));
    }

    private static Task<FileStream> Open(string path, bool noFollow = false) =>
        Task.Run(() => DiskOperations.OpenRegularFile(path, noFollow)).WaitAsync(s_deadline);
}
