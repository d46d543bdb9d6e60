using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Staging;

namespace SecureUpdate.Tests.Staging;

/// <summary>
/// <see cref="StagingProgress"/> on a fake clock: the first and the final report are always made,
/// in between at most one report per interval; reports are one at a time, in order, and never go
/// backwards nor past the file's size, also when a file is written again from scratch.
/// </summary>
public sealed class StagingProgressTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _clock = new();
    private readonly List<(TimeSpan At, StagingSnapshot Snapshot)> _reports = [];
    private readonly long _started;

    public StagingProgressTests() => _started = _clock.GetTimestamp();

    [Fact]
    public void Start_ReportsNothingDone_AndWritesWithinTheIntervalReportNothingMore()
    {
        var progress = NewProgress();
        progress.Start();
        var file = progress.Begin("a.bin", 1000);

        for (var i = 1; i <= 9; i++)
        {
            file.Reached(i * 100);
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        _reports.Should().ContainSingle("every write came within 100 ms of the first report");
        _reports[0].Snapshot.Should().BeEquivalentTo(new StagingSnapshot(0, 0, []));
    }

    [Fact]
    public void Writes_EveryThirtyMilliseconds_ReportAtMostOncePerInterval()
    {
        var progress = NewProgress();
        progress.Start();
        var file = progress.Begin("a.bin", 10_000);

        for (var i = 1; i <= 20; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(30));
            file.Reached(i * 100);
        }

        // 600 ms of writes: reports at 120, 240, 360, 480 and 600 ms after the first.
        _reports.Select(r => r.At.TotalMilliseconds).Should().Equal(0, 120, 240, 360, 480, 600);
        _reports.Select(r => r.Snapshot.BytesDone).Should().Equal(0, 400, 800, 1200, 1600, 2000);
        _reports.Skip(1).Should().OnlyContain(r => r.Snapshot.InFlight.Count == 1 && r.Snapshot.InFlight[0].Path == "a.bin" && r.Snapshot.InFlight[0].Size == 10_000);
        _reports.Skip(1).Select(r => r.Snapshot.InFlight[0].BytesDone).Should().Equal(400, 800, 1200, 1600, 2000);
    }

    [Fact]
    public void Finish_ReportsEverythingDone_EvenWithinTheInterval()
    {
        var progress = NewProgress();
        progress.Start();
        var first = progress.Begin("a.bin", 300);
        var second = progress.Begin("b.bin", 0);
        first.Reached(300);
        first.Complete();
        second.Complete();
        progress.Finish();

        _reports.Should().HaveCount(2, "the first and the final report, nothing between them inside 100 ms");
        _reports[1].Snapshot.FilesDone.Should().Be(2);
        _reports[1].Snapshot.BytesDone.Should().Be(300);
        _reports[1].Snapshot.InFlight.Should().BeEmpty();
    }

    [Fact]
    public void Complete_CountsTheWholeFile_ThoughNoByteWasWritten()
    {
        // A reused file copied without writes through the stream (a reflink) still counts.
        var progress = NewProgress();
        progress.Start();
        progress.Begin("reused.bin", 4096).Complete();
        progress.Finish();

        _reports[^1].Snapshot.Should().BeEquivalentTo(new StagingSnapshot(1, 4096, []));
    }

    [Fact]
    public void InFlight_ListsFilesInTheOrderTheyStarted_UntilEachIsComplete()
    {
        var progress = NewProgress();
        progress.Start();
        var a = progress.Begin("a.bin", 100);
        var b = progress.Begin("dir/b.bin", 200);
        var c = progress.Begin("c.bin", 300);
        a.Reached(100);
        a.Complete();
        b.Reached(50);
        _clock.Advance(s_interval);
        c.Reached(10);

        var report = _reports[^1].Snapshot;
        report.FilesDone.Should().Be(1);
        report.BytesDone.Should().Be(160);
        report.InFlight.Should().Equal(new StagingFileSnapshot("dir/b.bin", 50, 200), new StagingFileSnapshot("c.bin", 10, 300));
    }

    [Fact]
    public void FileWrittenAgainFromScratch_CountsEachByteOnce()
    {
        var progress = NewProgress();
        progress.Start();
        var file = progress.Begin("a.bin", 1000);
        using var disk = new MemoryStream();
        using (var counted = file.Count(disk))
        {
            counted.Write(new byte[600]);
            _clock.Advance(s_interval);
            counted.Write(new byte[100]);

            // The first copy did not match: the file starts again from byte 0, as a retry does.
            counted.SetLength(0);
            counted.Position = 0;
            for (var i = 0; i < 10; i++)
            {
                _clock.Advance(s_interval);
                counted.Write(new byte[100]);
            }
        }

        file.Complete();
        progress.Finish();

        var bytes = _reports.Select(r => r.Snapshot.BytesDone).ToArray();
        bytes.Should().BeInAscendingOrder("a retry from scratch never takes the count back");
        bytes.Should().OnlyContain(b => b <= 1000, "a retry never counts a byte twice");
        bytes[^1].Should().Be(1000);
        _reports.SelectMany(r => r.Snapshot.InFlight).Select(f => f.BytesDone).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Writes_PastTheSignedSize_CountNoMoreThanTheSize()
    {
        var progress = NewProgress();
        progress.Start();
        var file = progress.Begin("a.bin", 100);
        using var disk = new MemoryStream();
        using var counted = file.Count(disk);
        _clock.Advance(s_interval);

        counted.Write(new byte[150]);

        file.BytesDone.Should().Be(100);
        _reports[^1].Snapshot.BytesDone.Should().Be(100);
    }

    [Fact]
    public async Task CountingStream_PassesEverythingThrough_CountsFromTheFilePosition_AndLeavesTheFileOpen()
    {
        var progress = NewProgress();
        var file = progress.Begin("a.bin", 100);
        using var disk = new MemoryStream();
        disk.Write(new byte[40]);

        // A download continued after an interruption: the bytes already in the file count too.
        using (var counted = file.Count(disk))
        {
            counted.Seek(0, SeekOrigin.End);
            await counted.WriteAsync(new byte[10].AsMemory());
            counted.WriteByte(7);
            counted.Length.Should().Be(51);
        }

        file.BytesDone.Should().Be(51);
        disk.CanWrite.Should().BeTrue("the wrapper does not own the staging file's stream");
        disk.ToArray()[50].Should().Be(7);
    }

    [Fact]
    public async Task Reports_AreOneAtATime_AndAWriterNeverWaitsForAListener()
    {
        var inside = 0;
        var mostInside = 0;
        var nested = Task.CompletedTask;
        StagedFileProgress? file = null;
        var progress = new StagingProgress(_clock, s_interval, snapshot =>
        {
            mostInside = Math.Max(mostInside, Interlocked.Increment(ref inside));
            _reports.Add((_clock.GetElapsedTime(_started), snapshot));
            if (snapshot.BytesDone == 100)
            {
                // While this report is being made, another thread writes with a report due.
                _clock.Advance(s_interval);
                nested = Task.Run(() => file!.Reached(200));
                nested.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("a writer skips a report that is being made instead of waiting for it");
            }

            Interlocked.Decrement(ref inside);
        });
        progress.Start();
        file = progress.Begin("a.bin", 1000);
        _clock.Advance(s_interval);
        file.Reached(100);
        await nested;

        mostInside.Should().Be(1);
        _reports.Select(r => r.Snapshot.BytesDone).Should().Equal(0, 100);

        // The bytes of the skipped report are in the next one.
        _clock.Advance(s_interval);
        file.Reached(300);
        _reports[^1].Snapshot.BytesDone.Should().Be(300);
    }

    [Fact]
    public async Task ParallelWriters_ReportInOrder_AndEndAtTheTotals()
    {
        var progress = NewProgress();
        progress.Start();
        var files = Enumerable.Range(0, 8).Select(i => progress.Begin($"f{i}.bin", 10_000)).ToArray();

        await Task.WhenAll(files.Select(file => Task.Run(() =>
        {
            for (var written = 100; written <= 10_000; written += 100)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(7));
                file.Reached(written);
            }

            file.Complete();
        })));
        progress.Finish();

        var snapshots = _reports.Select(r => r.Snapshot).ToArray();
        snapshots.Select(s => s.BytesDone).Should().BeInAscendingOrder();
        snapshots.Select(s => s.FilesDone).Should().BeInAscendingOrder();
        snapshots.Should().OnlyContain(s => s.BytesDone <= 80_000 && s.InFlight.All(f => f.BytesDone <= f.Size));
        snapshots[^1].Should().BeEquivalentTo(new StagingSnapshot(8, 80_000, []));
    }

    private StagingProgress NewProgress() =>
        new(_clock, s_interval, snapshot =>
        {
            lock (_reports)
            {
                _reports.Add((_clock.GetElapsedTime(_started), snapshot));
            }
        });
}
