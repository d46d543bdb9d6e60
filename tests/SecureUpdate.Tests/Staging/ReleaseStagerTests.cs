using System.IO.Abstractions;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using SecureUpdate.Configuration;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Staging;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

[UnsupportedOSPlatform("windows")]
public sealed class ReleaseStagerTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly FileSystem _fileSystem = new();
    private readonly string _feed;
    private readonly string _staging;
    private readonly LocalFeedSource _source;

    public ReleaseStagerTests()
    {
        _feed = _root.Combine("feed");
        _staging = _root.Combine("staging", "release");
        Directory.CreateDirectory(Path.Combine(_feed, "blobs", "sha256"));
        Directory.CreateDirectory(_root.Combine("staging"));
        _source = new LocalFeedSource(_fileSystem, _feed, TimeProvider.System, TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _source.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task StageAsync_BlobsMatchingManifest_StagesExactFilesAndModes()
    {
        ManifestFile tool = AddBlob("bin/tool", "#!/bin/sh\n", executable: true);
        ManifestFile text = AddBlob("docs/a/b.txt", "text\n", executable: false);
        ReleaseStager stager = NewStager();

        await stager.StageAsync(Manifest(tool, text), _staging, new Dictionary<string, string>(), null, CancellationToken.None);

        File.ReadAllText(Path.Combine(_staging, "bin", "tool")).Should().Be("#!/bin/sh\n");
        File.ReadAllText(Path.Combine(_staging, "docs", "a", "b.txt")).Should().Be("text\n");
        File.GetUnixFileMode(Path.Combine(_staging, "bin", "tool")).Should().Be(ReleaseInputs.ExecutableMode);
        File.GetUnixFileMode(Path.Combine(_staging, "docs", "a", "b.txt")).Should().Be(ReleaseInputs.RegularMode);
        File.GetUnixFileMode(_staging).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        stager.FilesDownloaded.Should().Be(2);
        stager.FilesReused.Should().Be(0);
        stager.BytesDownloaded.Should().Be(15);
    }

    [Fact]
    public async Task StageAsync_EmptyFileWithoutBlob_IsStaged()
    {
        var empty = new ManifestFile("empty.txt", 0, SHA256.HashData(Array.Empty<byte>()), executable: false);
        ReleaseStager stager = NewStager();

        await stager.StageAsync(Manifest(empty), _staging, new Dictionary<string, string>(), null, CancellationToken.None);

        new FileInfo(Path.Combine(_staging, "empty.txt")).Length.Should().Be(0);
    }

    [Theory]
    [InlineData("TEXT\n")]
    [InlineData("text")]
    [InlineData("text\n\n")]
    [InlineData("")]
    public async Task StageAsync_BlobNotMatchingSignedDigestOrSize_ThrowsHashMismatch(string served)
    {
        ManifestFile text = AddBlob("a.txt", "text\n", executable: false);
        File.WriteAllText(BlobPath(text), served);

        Func<Task> stage = () => NewStager().StageAsync(Manifest(text), _staging, new Dictionary<string, string>(), null, CancellationToken.None);

        VerificationException ex = (await stage.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.HashMismatch);
        ex.Stage.Should().Be(UpdateStage.Payload);
        File.Exists(Path.Combine(_staging, "a.txt")).Should().BeFalse("a file that does not verify is not left staged");
    }

    [Fact]
    public async Task StageAsync_BlobMissingFromFeed_ThrowsTransport()
    {
        var missing = new ManifestFile("a.txt", 5, SHA256.HashData("text\n"u8), executable: false);

        Func<Task> stage = () => NewStager().StageAsync(Manifest(missing), _staging, new Dictionary<string, string>(), null, CancellationToken.None);

        TransportException ex = (await stage.Should().ThrowAsync<TransportException>()).Which;
        ex.Code.Should().Be(ErrorCode.Transport);
        ex.Stage.Should().Be(UpdateStage.Payload);
    }

    [Fact]
    public async Task StageAsync_MatchingLocalCopy_IsReusedWithoutTheFeed()
    {
        ManifestFile text = AddBlob("a.txt", "text\n", executable: false);
        File.Delete(BlobPath(text));
        string local = _root.Combine("installed-a.txt");
        File.WriteAllText(local, "text\n");
        ReleaseStager stager = NewStager();

        await stager.StageAsync(Manifest(text), _staging, new Dictionary<string, string> { [text.Sha256Hex] = local }, null, CancellationToken.None);

        File.ReadAllText(Path.Combine(_staging, "a.txt")).Should().Be("text\n");
        stager.FilesReused.Should().Be(1);
        stager.FilesDownloaded.Should().Be(0);
        stager.BytesDownloaded.Should().Be(0);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("text\nmore")]
    [InlineData("tex")]
    public async Task StageAsync_LocalCopyNotMatching_DownloadsInstead(string localContents)
    {
        ManifestFile text = AddBlob("a.txt", "text\n", executable: false);
        string local = _root.Combine("installed-a.txt");
        File.WriteAllText(local, localContents);
        ReleaseStager stager = NewStager();

        await stager.StageAsync(Manifest(text), _staging, new Dictionary<string, string> { [text.Sha256Hex] = local }, null, CancellationToken.None);

        File.ReadAllText(Path.Combine(_staging, "a.txt")).Should().Be("text\n");
        stager.FilesReused.Should().Be(0);
        stager.FilesDownloaded.Should().Be(1);
    }

    [Fact]
    public async Task StageAsync_LocalCopyMissing_DownloadsInstead()
    {
        ManifestFile text = AddBlob("a.txt", "text\n", executable: false);
        ReleaseStager stager = NewStager();

        await stager.StageAsync(Manifest(text), _staging, new Dictionary<string, string> { [text.Sha256Hex] = _root.Combine("gone") }, null, CancellationToken.None);

        stager.FilesDownloaded.Should().Be(1);
        File.ReadAllText(Path.Combine(_staging, "a.txt")).Should().Be("text\n");
    }

    private ReleaseStager NewStager() => new(_fileSystem, new DiskOperations(), _source, TimeProvider.System, new SecureUpdateOptions());

    private ManifestFile AddBlob(string path, string contents, bool executable)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(contents);
        var file = new ManifestFile(path, bytes.Length, SHA256.HashData(bytes), executable);
        File.WriteAllBytes(BlobPath(file), bytes);
        return file;
    }

    private string BlobPath(ManifestFile file) => Path.Combine(_feed, "blobs", "sha256", file.Sha256Hex);

    private static ReleaseManifest Manifest(params ManifestFile[] files) =>
        new("demo", "stable", SemanticVersion.Parse("1.0.0"), DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, files);
}
