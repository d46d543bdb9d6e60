namespace SecureUpdate.Staging;

/// <summary>
/// The progress of one file being staged: the furthest position written into it, at most its
/// signed size. A retry that starts the file again from byte 0 adds nothing until it passes the
/// earlier attempt, so the totals never exceed the release nor go backwards.
/// </summary>
internal sealed class StagedFileProgress
{
    private readonly StagingProgress _owner;
    private long _done;

    internal StagedFileProgress(StagingProgress owner, string path, long size)
    {
        _owner = owner;
        Path = path;
        Size = size;
    }

    /// <summary>The manifest path.</summary>
    public string Path { get; }

    /// <summary>The signed size.</summary>
    public long Size { get; }

    /// <summary>Bytes counted so far.</summary>
    public long BytesDone => Interlocked.Read(ref _done);

    /// <summary>Wraps a staging file's stream so that every write moves this file's count.</summary>
    public Stream Count(Stream destination) => new ProgressCountingStream(destination, this);

    /// <summary>The file now holds bytes up to <paramref name="position"/>; only a new furthest position counts.</summary>
    public void Reached(long position)
    {
        var reached = Math.Clamp(position, 0, Size);
        var seen = Interlocked.Read(ref _done);
        while (reached > seen)
        {
            var previous = Interlocked.CompareExchange(ref _done, reached, seen);
            if (previous == seen)
            {
                _owner.Advanced(reached - seen);
                return;
            }

            seen = previous;
        }
    }

    /// <summary>The file is staged and verified: all its bytes count (also those copied without a write, such as a reflink).</summary>
    public void Complete()
    {
        Reached(Size);
        _owner.Completed(this);
    }
}
