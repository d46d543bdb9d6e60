using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

/// <summary>
/// Interrupted downloads continue where they stopped instead of starting again from byte 0: after a kill (the next
/// run) and after a connection dropped mid-body (the retry in the same run), with <c>Range</c> and <c>If-Range</c>;
/// a server that ignores Range, or whose blob changed, gets a fresh download, and the signed digest still decides.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class InterruptedDownloadTests
{
    [Fact]
    public async Task Apply_KilledHalfwayThroughALargeFile_NextRunFetchesOnlyTheRest()
    {
        await using var world = await ResumeWorld.CreateAsync();
        await world.KillHalfwayAsync();
        var kept = new FileInfo(world.PartialFile).Length;
        File.GetUnixFileMode(world.PartialFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "a partial download is owner-only");

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests.Should().ContainSingle("the rest is fetched in one request\n{0}", result.Describe());
        requests[0].Range.Should().Be($"bytes={kept}-", "the download continues after the bytes kept on disk");
        requests[0].IfRange.Should().Be(world.Server.ValidatorOf(ResumeWorld.BigBlob), "only while the server still holds the same blob");
        requests[0].StatusCode.Should().Be(206);
        world.Server.BytesServed(ResumeWorld.BigBlob).Should().BeLessThanOrEqualTo((long)(ResumeWorld.BigSize * 0.6), "the second run fetches only what the first did not");
    }

    [Fact]
    public async Task Apply_FirstInstallKilledHalfway_NextRunFetchesOnlyTheRest()
    {
        await using var world = await ResumeWorld.CreateAsync();
        Directory.Delete(world.Target, recursive: true);
        await world.KillHalfwayAsync("--app", ReleaseInputs.App);

        var result = await world.ApplyAsync("--app", ReleaseInputs.App);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("installed");
        world.ShouldHaveInstalledVersion2();
        world.Server.RequestsFor(ResumeWorld.BigBlob).Select(request => request.StatusCode).Should().Equal([206], "the killed first install's partial download is continued\n{0}", result.Describe());
        world.Server.BytesServed(ResumeWorld.BigBlob).Should().BeLessThanOrEqualTo((long)(ResumeWorld.BigSize * 0.6));
    }

    [Fact]
    public async Task Apply_ConnectionDroppedMidBody_RetryContinuesAtTheOffset()
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.Server.DropAt(ResumeWorld.BigBlob, ResumeWorld.BigSize / 2);

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests.Should().HaveCount(2, "the dropped body and the retry\n{0}", result.Describe());
        requests[1].Range.Should().StartWith("bytes=").And.NotBe("bytes=0-", "the retry continues where the dropped body stopped");
        requests[1].StatusCode.Should().Be(206);
        world.Server.BytesServed(ResumeWorld.BigBlob).Should().BeLessThanOrEqualTo((long)(ResumeWorld.BigSize * 1.25), "a restart from byte 0 would fetch one and a half blobs");
    }

    [Fact]
    public async Task Apply_ServerIgnoresRangeAfterKill_FetchesTheWholeFileAgainAndInstalls()
    {
        await using var world = await ResumeWorld.CreateAsync();
        await world.KillHalfwayAsync();
        world.Server.IgnoreRange = true;

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests.Should().ContainSingle("the whole body arrives in the same request\n{0}", result.Describe());
        requests[0].Range.Should().NotBeEmpty("a continuation was asked for");
        requests[0].StatusCode.Should().Be(200, "this server ignores Range");
        world.Server.BytesServed(ResumeWorld.BigBlob).Should().Be(ResumeWorld.BigSize);
    }

    [Fact]
    public async Task Apply_ServerIgnoresRangeAfterADrop_RetryStartsOverAndInstalls()
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.Server.IgnoreRange = true;
        world.Server.DropAt(ResumeWorld.BigBlob, ResumeWorld.BigSize / 2);

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        world.Server.RequestsFor(ResumeWorld.BigBlob).Select(request => request.StatusCode).Should().Equal([200, 200], "the retry gets the whole body again");
    }

    [Fact]
    public async Task Apply_BlobReplacedOnTheServerAfterKill_StartsOverAndRefusesTheWrongBytes()
    {
        await using var world = await ResumeWorld.CreateAsync();
        await world.KillHalfwayAsync();
        var blob = Path.Combine(world.Feed, ResumeWorld.BigBlob);
        File.WriteAllBytes(blob, ReleaseInputs.Bytes(seed: 99, length: ResumeWorld.BigSize));
        File.SetLastWriteTimeUtc(blob, DateTime.UtcNow.AddHours(1));

        var result = await world.ApplyAsync();

        result.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("hash_mismatch");
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests[0].Range.Should().NotBeEmpty("a continuation was asked for, under the old validator");
        requests[0].StatusCode.Should().Be(200, "the validator changed: the whole new body, never a rest that does not fit");
        world.Before.ShouldBeUnchanged("wrong bytes are refused, and no partial download of them is kept");
    }

    [Fact]
    public async Task Apply_NoETag_ContinuesUnderLastModified()
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.Server.ETags = false;
        await world.KillHalfwayAsync();
        File.ReadAllText(world.Sidecar).Should().Contain(world.Server.ValidatorOf(ResumeWorld.BigBlob), "the Last-Modified date is the validator");

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests.Should().ContainSingle();
        requests[0].IfRange.Should().Be(world.Server.ValidatorOf(ResumeWorld.BigBlob));
        requests[0].StatusCode.Should().Be(206);
        world.Server.BytesServed(ResumeWorld.BigBlob).Should().BeLessThanOrEqualTo((long)(ResumeWorld.BigSize * 0.6));
    }

    [Fact]
    public async Task Apply_NoETagAndTheBlobTouched_StartsOverFromZero()
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.Server.ETags = false;
        await world.KillHalfwayAsync();
        File.SetLastWriteTimeUtc(Path.Combine(world.Feed, ResumeWorld.BigBlob), DateTime.UtcNow.AddHours(1));

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests.Should().ContainSingle();
        requests[0].StatusCode.Should().Be(200, "a Last-Modified that changed sends the whole body");
        world.Server.BytesServed(ResumeWorld.BigBlob).Should().Be(ResumeWorld.BigSize);
    }

    [Fact]
    public async Task Apply_ContinuationWithAWrongContentRange_StartsOverFromZero()
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.Server.WrongContentRange = true;
        world.Server.DropAt(ResumeWorld.BigBlob, ResumeWorld.BigSize / 2);

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests.Select(request => request.StatusCode).Should().Equal([200, 206, 200], "the dropped body, a continuation that does not fit, then a fresh download\n{0}", result.Describe());
        requests[2].Range.Should().BeEmpty("the fresh download starts from byte 0");
    }
}
