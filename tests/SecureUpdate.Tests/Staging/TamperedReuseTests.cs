using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

/// <summary>
/// An update takes the files it shares with the installed version from that version instead of the feed: cloned where
/// the file system shares extents (reflink, proven on a real loop-mounted XFS), else hard-linked (this machine's ext4).
/// Either way the installed copy is hashed against the signed digest first, because the installed copy is local data that may have
/// been changed: an installed copy altered in place, or grown, is not reused but downloaded, and the update is still
/// exactly the signed release. Process-level, over real loopback HTTP.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class TamperedReuseTests
{
    private const string App = "bin/app";
    private const string Large = "data/large.bin";
    private const string Small = "data/small.txt";
    private const string Altered = "data/altered.bin";
    private const string Grown = "data/grown.bin";

    private static readonly ForgedFile[] s_version1 =
    [
        new(App, Encoding.UTF8.GetBytes("#!/bin/sh\necho 1.0.0\n"), executable: true),
        new(Large, ReleaseInputs.Bytes(seed: 11, length: 700_000)),
        new(Small, Encoding.UTF8.GetBytes("the same in both versions\n")),
        new(Altered, ReleaseInputs.Bytes(seed: 12, length: 300_000)),
        new(Grown, ReleaseInputs.Bytes(seed: 13, length: 5_000)),
    ];

    private static readonly ForgedFile[] s_version2 = [new(App, Encoding.UTF8.GetBytes("#!/bin/sh\necho 1.1.0\n"), executable: true), .. s_version1.Skip(1)];

    [Fact]
    public async Task Apply_OnExt4_LinksUnchangedFilesAndDownloadsAlteredInstalledCopies()
    {
        using var temp = new TempFolder();
        var target = temp.Combine("target");

        await UpdateOverAlteredCopiesAsync(temp, target);

        var installed = Path.Combine(target, "versions", ReleaseInputs.V2);
        HostCommand.SharesAllExtents(Path.Combine(installed, Large)).Should().BeFalse("ext4 cannot clone");
        HostCommand.Stat(Path.Combine(installed, Large)).Links.Should().Be(2, "the unchanged file is a hard link of the installed copy");
        HostCommand.Stat(Path.Combine(installed, Altered)).Links.Should().Be(1, "an altered copy is not linked but replaced by a download");
        HostCommand.Stat(Path.Combine(installed, Grown)).Links.Should().Be(1, "a grown copy is not linked but replaced by a download");
    }

    [Fact]
    public async Task Apply_OnReflinkXfs_ClonesUnchangedFilesAndDownloadsAlteredInstalledCopies()
    {
        using var temp = new TempFolder();
        using var xfs = ReflinkMount.Create(temp.Combine("xfs"));
        var target = Path.Combine(xfs.Path, "target");

        await UpdateOverAlteredCopiesAsync(temp, target);

        var installed = Path.Combine(target, "versions", ReleaseInputs.V2);
        HostCommand.SharesAllExtents(Path.Combine(installed, Large)).Should().BeTrue("an unchanged file is a clone of the installed copy (FICLONE), not a copy");
        HostCommand.Stat(Path.Combine(installed, Large)).Links.Should().Be(1, "a clone is a file of its own, not a hard link");
        HostCommand.SharesAllExtents(Path.Combine(installed, Altered)).Should().BeFalse("a clone of an altered copy does not verify and is replaced by a download");
        HostCommand.SharesAllExtents(Path.Combine(installed, Grown)).Should().BeFalse("a clone of a grown copy does not verify and is replaced by a download");
    }

    /// <summary>Installs 1.0.0, alters two installed files, applies 1.1.0 and checks what was reused, fetched and installed.</summary>
    private static async Task UpdateOverAlteredCopiesAsync(TempFolder temp, string target)
    {
        var template = await ReleaseTemplate.GetAsync();
        var feed = temp.CreateFolder("feed");
        ReleaseInputs.WriteFolder(temp.Combine("in-1"), s_version1);
        ReleaseInputs.WriteFolder(temp.Combine("in-2"), s_version2);
        await using var server = await FeedServer.StartAsync(feed);
        (await Release(feed, ReleaseInputs.V1, temp.Combine("in-1"), template)).ShouldExitWith(0);
        (await CliRunner.RunAsync("apply", "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json")).ShouldExitWith(0);
        (await Release(feed, ReleaseInputs.V2, temp.Combine("in-2"), template)).ShouldExitWith(0);

        // The installed copies change under the updater: one byte in the middle of one, bytes appended to another.
        var installed1 = Path.Combine(target, "versions", ReleaseInputs.V1);
        using (var stream = new FileStream(Path.Combine(installed1, Altered), FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 200_000;
            var original = stream.ReadByte();
            stream.Position = 200_000;
            stream.WriteByte((byte)(original ^ 0xFF));
        }

        File.AppendAllText(Path.Combine(installed1, Grown), "appended");
        var requestsBefore = server.RequestLog.Count;

        var update = (await CliRunner.RunAsync("apply", "--feed", server.Url, "--trust", template.TrustFile, "--target", target, "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();

        update.JsonString("outcome").Should().Be("updated", update.Describe());
        update.Json().GetProperty("filesReused").GetInt32().Should().Be(2, "only the unchanged, unaltered files are reused: {0}", update.Describe());
        update.Json().GetProperty("filesDownloaded").GetInt32().Should().Be(3, "the changed file and the two altered copies are downloaded: {0}", update.Describe());
        var fetched = server.RequestLog.Skip(requestsBefore).ToArray();
        foreach (var path in new[] { App, Altered, Grown })
        {
            fetched.Should().Contain(FeedForger.BlobPath(Of(s_version2, path).Sha256), "{0} comes from the feed", path);
        }

        foreach (var path in new[] { Large, Small })
        {
            fetched.Should().NotContain(FeedForger.BlobPath(Of(s_version2, path).Sha256), "{0} is reused from the installed version", path);
        }

        TargetAssert.CurrentVersion(target).Should().Be(ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V2), s_version2);
        (await CliRunner.RunAsync("verify", "--target", target, "--trust", template.TrustFile, "--json")).ShouldExitWith(0);
    }

    private static ForgedFile Of(IEnumerable<ForgedFile> files, string path) => files.Single(file => file.Path == path);

    private static Task<CliResult> Release(string feed, string version, string input, ReleaseTemplate template) =>
        CliRunner.RunAsync("release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version, "--input", input, "--key", template.KeyFile, "--json");
}
