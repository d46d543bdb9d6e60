using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// <see cref="ApplyRequest.Progress"/>: a first report with nothing done, a final one with the
/// release's totals, and in between (at a bounded rate) counts that never go backwards, files
/// downloaded or reused alike, received by a synchronous recorder in order. Byte-level reports
/// inside one large file: EndToEnd/ByteProgressTests.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ProgressTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();
    private readonly List<ServiceProvider> _providers = [];

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        _workspace.Dispose();
    }

    [Fact]
    public async Task Apply_OneDownloadAtATime_CountsFromNothingToTheTotals()
    {
        var sizes = WriteFiles(count: 12);
        await _workspace.PublishAsync("1.0.0");
        var progress = new RecordingProgress();

        var result = await Client(parallel: 1).ApplyAsync(Request(progress));

        result.Outcome.Should().Be(ApplyOutcome.Installed);
        ShouldCountUpToTotals(progress.Reports, "1.0.0", sizes);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public async Task Apply_ParallelDownloads_ReportsInOrderOneAtATime(int parallel)
    {
        var sizes = WriteFiles(count: 64);
        await _workspace.PublishAsync("1.0.0");

        // Each report holds the recorder for a moment, as a UI or log writer would; reports made at once then overlap visibly.
        var progress = new RecordingProgress(hold: TimeSpan.FromMilliseconds(2));
        var result = await Client(parallel).ApplyAsync(Request(progress));

        result.Outcome.Should().Be(ApplyOutcome.Installed);
        ShouldCountUpToTotals(progress.Reports, "1.0.0", sizes);
        progress.MostAtOnce.Should().Be(1, "a synchronous IProgress receives one report at a time, or FilesDone could arrive out of order and the last report need not be the total");
    }

    [Fact]
    public async Task Apply_UpdateReusingUnchangedFiles_CountsReusedFilesToo()
    {
        var sizes = WriteFiles(count: 8);
        await _workspace.PublishAsync("1.0.0");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        _workspace.WriteInput("file-00.dat", "changed in 1.1.0, with a different length\n");
        sizes["file-00.dat"] = "changed in 1.1.0, with a different length\n".Length;
        await _workspace.PublishAsync("1.1.0");
        var progress = new RecordingProgress();

        var result = await Client(parallel: 1).ApplyAsync(Request(progress));

        result.Outcome.Should().Be(ApplyOutcome.Updated);
        result.FilesReused.Should().Be(7);
        ShouldCountUpToTotals(progress.Reports, "1.1.0", sizes);
    }

    [Fact]
    public async Task Apply_NothingToStage_ReportsNothing()
    {
        WriteFiles(count: 3);
        await _workspace.PublishAsync("1.0.0");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        var progress = new RecordingProgress();

        var result = await Client(parallel: 1).ApplyAsync(Request(progress));

        result.Outcome.Should().Be(ApplyOutcome.Current);
        progress.Reports.Should().BeEmpty("nothing was staged");
    }

    /// <summary>
    /// The first report has nothing done and nothing in flight; the last has every file and byte
    /// done and nothing in flight; in between files and bytes done never go down nor pass the
    /// totals, and every file in flight is a file of the release with at most its size written.
    /// </summary>
    private static void ShouldCountUpToTotals(IReadOnlyList<UpdateProgress> reports, string version, IReadOnlyDictionary<string, long> sizes)
    {
        var files = sizes.Count;
        var bytes = sizes.Values.Sum();
        reports.Should().HaveCountGreaterThanOrEqualTo(2, "a first and a final report are always made");
        reports.Should().OnlyContain(r => r.Version == version && r.FilesTotal == files && r.BytesTotal == bytes, "every report names the version and the release's totals");
        reports[0].FilesDone.Should().Be(0);
        reports[0].BytesDone.Should().Be(0);
        reports[0].InFlight.Should().BeEmpty();
        reports[^1].FilesDone.Should().Be(files, "the last report is the whole release");
        reports[^1].BytesDone.Should().Be(bytes);
        reports[^1].InFlight.Should().BeEmpty();
        reports.Select(r => r.FilesDone).Should().BeInAscendingOrder("files done never go down");
        reports.Select(r => r.BytesDone).Should().BeInAscendingOrder("bytes done never go down");
        reports.Should().OnlyContain(r => r.BytesDone <= bytes && r.FilesDone <= files);
        reports.SelectMany(r => r.InFlight).Where(f => !sizes.ContainsKey(f.Path) || f.Size != sizes[f.Path] || f.BytesDone < 0 || f.BytesDone > f.Size)
            .Should().BeEmpty("a file in flight is a file of the release, with at most its size written");
    }

    private Dictionary<string, long> WriteFiles(int count)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = $"file-{i:D2}.dat";
            var content = new string((char)('a' + (i % 26)), 100 + (i * 37));
            _workspace.WriteInput(name, content);
            sizes[name] = content.Length;
        }

        return sizes;
    }

    private UpdateClient Client(int parallel)
    {
        var provider = new ServiceCollection().AddSecureUpdate(options => options.MaxParallelDownloads = parallel).BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<UpdateClient>();
    }

    private ApplyRequest Request(IProgress<UpdateProgress> progress) => new()
    {
        Feed = _workspace.Feed,
        Trust = _workspace.Trust,
        Target = _workspace.Folder,
        App = ReleaseWorkspace.App,
        Progress = progress,
    };
}
