namespace SecureUpdate.Tests.Agent;

/// <summary>
/// Records progress reports synchronously, in the order <see cref="Report"/> is called (unlike
/// <see cref="Progress{T}"/>, which posts them). It also notes whether two reports were ever
/// made at once: each report holds the recorder for a moment so that overlapping calls show.
/// </summary>
internal sealed class RecordingProgress : IProgress<UpdateProgress>
{
    private readonly Lock _lock = new();
    private readonly List<UpdateProgress> _reports = [];
    private readonly TimeSpan _hold;
    private int _inside;
    private int _mostAtOnce;

    public RecordingProgress(TimeSpan? hold = null) => _hold = hold ?? TimeSpan.Zero;

    public IReadOnlyList<UpdateProgress> Reports
    {
        get
        {
            lock (_lock)
            {
                return _reports.ToArray();
            }
        }
    }

    /// <summary>The most reports that were being made at the same time (1 when they never overlapped).</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public void Report(UpdateProgress value)
    {
        var inside = Interlocked.Increment(ref _inside);
        try
        {
            lock (_lock)
            {
                _reports.Add(value);
                _mostAtOnce = Math.Max(_mostAtOnce, inside);
            }

            if (_hold > TimeSpan.Zero)
            {
                Thread.Sleep(_hold);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }
}
