using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Tests.Agent;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Byte-level progress against a real loopback HTTP feed whose large file arrives slowly: the
/// library reports bytes inside that one file as they are written, several times before it is
/// done, in order, never past its size, and ends with everything done. A body cut short and
/// fetched again counts its bytes once.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ByteProgressTests : IDisposable
{
    private const int LargeSize = 600;
    private readonly ReleaseWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Apply_LargeFileArrivingSlowly_ReportsBytesInsideThatFileSeveralTimes()
    {
        var large = new string('x', LargeSize);
        _workspace.WriteInput("large.bin", large);
        _workspace.WriteInput("small.txt", "small\n");
        await _workspace.PublishAsync("1.0.0");
        await using var server = await FeedServer.StartAsync(_workspace.Feed);
        server.ServeSlowDrip(FeedForger.BlobPath(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(large)))), TimeSpan.FromMilliseconds(1));
        var reports = await ApplyRecordingProgressAsync(server);

        var inside = reports
            .Select(r => r.InFlight.SingleOrDefault(f => f.Path == "large.bin"))
            .Where(f => f is { BytesDone: > 0 } && f.BytesDone < LargeSize)
            .Select(f => f!.BytesDone)
            .ToArray();
        inside.Distinct().Should().HaveCountGreaterThanOrEqualTo(3, "a file arriving over seconds is reported while it arrives, not only when it is done");
        inside.Should().BeInAscendingOrder();
        reports.Select(r => r.BytesDone).Should().BeInAscendingOrder("bytes done never go down");
        reports.Should().OnlyContain(r => r.BytesTotal == LargeSize + 6 && r.BytesDone <= r.BytesTotal);
        reports.SelectMany(r => r.InFlight).Where(f => f.Path == "large.bin").Should().OnlyContain(f => f.Size == LargeSize);
        reports[^1].Should().Match<UpdateProgress>(r => r.FilesDone == 2 && r.BytesDone == LargeSize + 6 && r.InFlight.Count == 0);
        File.ReadAllText(Path.Combine(_workspace.Target, "current", "large.bin")).Should().Be(large);
    }

    [Fact]
    public async Task Apply_BodyCutShortThenFetchedAgain_CountsEachByteOnce()
    {
        var large = string.Concat(Enumerable.Range(0, 8192).Select(i => (char)('a' + (i % 26))));
        _workspace.WriteInput("large.bin", large);
        await _workspace.PublishAsync("1.0.0");
        await using var server = await FeedServer.StartAsync(_workspace.Feed);
        var blob = FeedForger.BlobPath(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(large))));
        server.CutShort(blob, times: 1);
        var reports = await ApplyRecordingProgressAsync(server);

        server.RequestCount(blob).Should().Be(2, "the first body was cut at half and the file fetched again");
        reports.Select(r => r.BytesDone).Should().BeInAscendingOrder("a second fetch never takes the count back");
        reports.Should().OnlyContain(r => r.BytesDone <= large.Length, "the half fetched first is not counted again");
        reports[^1].BytesDone.Should().Be(large.Length);
        reports[^1].FilesDone.Should().Be(1);
    }

    /// <summary>Installs the workspace's release from <paramref name="server"/> through the library, recording every progress report.</summary>
    private async Task<IReadOnlyList<UpdateProgress>> ApplyRecordingProgressAsync(FeedServer server)
    {
        var progress = new RecordingProgress();
        using var provider = new ServiceCollection().AddSecureUpdate().BuildServiceProvider();

        var result = await provider.GetRequiredService<UpdateClient>().ApplyAsync(new ApplyRequest
        {
            Feed = server.Url,
            Trust = _workspace.Trust,
            Target = _workspace.Folder,
            App = ReleaseWorkspace.App,
            Progress = progress,
        });

        result.Outcome.Should().Be(ApplyOutcome.Installed);
        return progress.Reports;
    }
}
