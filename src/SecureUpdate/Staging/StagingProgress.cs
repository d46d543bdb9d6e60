namespace SecureUpdate.Staging;

/// <summary>
/// Byte-level progress of one staging, reported at a bounded rate: always a first report (nothing
/// done) and a final one (everything done), and in between at most one per interval, made when
/// bytes are written or a file finishes. Reports are made one at a time, each a snapshot taken
/// while it is made, so they arrive in order and never go backwards.
/// </summary>
/// <remarks>
/// Writers never wait for a report: a writer that finds one due while another thread is making one
/// skips it (the report being made is at least as new). The bytes of a file count as the furthest
/// position written into it (<see cref="StagedFileProgress"/>), so a retry from scratch or a resumed
/// download counts each byte once, and never more than the file's signed size.
/// </remarks>
internal sealed class StagingProgress
{
    /// <summary>The shortest time between two reports, first and final aside.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly Action<StagingSnapshot> _report;
    private readonly Lock _reporting = new();
    private readonly Lock _files = new();
    private readonly List<StagedFileProgress> _inFlight = [];
    private int _filesDone;
    private long _bytesDone;
    private long _lastReport;

    public StagingProgress(TimeProvider timeProvider, TimeSpan interval, Action<StagingSnapshot> report)
    {
        _timeProvider = timeProvider;
        _interval = interval;
        _report = report;
        _lastReport = timeProvider.GetTimestamp();
    }

    /// <summary>The first report: nothing done yet.</summary>
    public void Start()
    {
        lock (_reporting)
        {
            Emit();
        }
    }

    /// <summary>A file starts staging: it is listed in flight until <see cref="StagedFileProgress.Complete"/>.</summary>
    public StagedFileProgress Begin(string path, long size)
    {
        var file = new StagedFileProgress(this, path, size);
        lock (_files)
        {
            _inFlight.Add(file);
        }

        return file;
    }

    /// <summary>The final report, made whatever the time since the last one: every file staged.</summary>
    public void Finish()
    {
        lock (_reporting)
        {
            Emit();
        }
    }

    /// <summary>Bytes were written (the file's furthest position moved by <paramref name="delta"/>).</summary>
    internal void Advanced(long delta)
    {
        Interlocked.Add(ref _bytesDone, delta);
        ReportIfDue();
    }

    /// <summary>A file is staged completely (its bytes already counted).</summary>
    internal void Completed(StagedFileProgress file)
    {
        lock (_files)
        {
            _inFlight.Remove(file);
            _filesDone++;
        }

        ReportIfDue();
    }

    private void ReportIfDue()
    {
        if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastReport)) < _interval)
        {
            return;
        }

        // Another thread making a report: skip this one rather than wait (staging must not stall
        // on a slow listener), and never make two at once.
        if (!_reporting.TryEnter())
        {
            return;
        }

        try
        {
            if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastReport)) >= _interval)
            {
                Emit();
            }
        }
        finally
        {
            _reporting.Exit();
        }
    }

    /// <summary>Takes a snapshot and reports it; only ever called while holding <see cref="_reporting"/>.</summary>
    private void Emit()
    {
        StagingSnapshot snapshot;
        lock (_files)
        {
            var inFlight = new StagingFileSnapshot[_inFlight.Count];
            for (var i = 0; i < inFlight.Length; i++)
            {
                var file = _inFlight[i];
                inFlight[i] = new StagingFileSnapshot(file.Path, file.BytesDone, file.Size);
            }

            snapshot = new StagingSnapshot(_filesDone, Interlocked.Read(ref _bytesDone), inFlight);
        }

        Volatile.Write(ref _lastReport, _timeProvider.GetTimestamp());
        _report(snapshot);
    }
}
