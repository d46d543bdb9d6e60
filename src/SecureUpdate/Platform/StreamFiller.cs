namespace SecureUpdate.Platform;

/// <summary>Fills <see cref="StreamCopier"/>'s buffers from a source, each read bounded by the stall timeout.</summary>
internal sealed class StreamFiller(Stream source, CancellationTokenSource stall, TimeSpan stallTimeout, TimeProvider timeProvider, CancellationToken linked, CancellationToken cancellationToken)
{
    /// <summary>
    /// Longest a network buffer waits to fill before what arrived is passed on: on a fast link a buffer fills in far
    /// less, on a slow one the bytes reach the disk (and byte-level progress) steadily instead of a whole buffer at a time.
    /// </summary>
    private static readonly TimeSpan s_passOnAfter = TimeSpan.FromMilliseconds(100);

    /// <summary>A local file is read synchronously: an asynchronous file read is a thread-pool hand-over per read.</summary>
    private readonly bool _synchronous = source is FileStream;

    /// <summary>
    /// Reads into <paramref name="buffer"/> until it is full, the source ends, one byte more than
    /// <paramref name="remaining"/> has been read (never more than that is asked for), or, from the network,
    /// the bytes have waited long enough.
    /// </summary>
    public async Task<(int Filled, bool Ended)> FillAsync(byte[] buffer, long remaining)
    {
        var limit = remaining >= buffer.Length ? buffer.Length : (int)remaining + 1;
        var filled = 0;
        var started = timeProvider.GetTimestamp();
        while (filled < limit)
        {
            var read = _synchronous ? ReadNow(buffer, filled, limit - filled) : await ReadAsync(buffer, filled, limit - filled).ConfigureAwait(false);
            if (read == 0)
            {
                return (filled, true);
            }

            filled += read;
            if (!_synchronous && filled < limit && timeProvider.GetElapsedTime(started) >= s_passOnAfter)
            {
                return (filled, false);
            }
        }

        return (filled, false);
    }

    private int ReadNow(byte[] buffer, int offset, int count)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return source.Read(buffer, offset, count);
    }

    private async Task<int> ReadAsync(byte[] buffer, int offset, int count)
    {
        stall.CancelAfter(stallTimeout);
        try
        {
            return await source.ReadAsync(buffer.AsMemory(offset, count), linked).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StallException($"no data arrived for {stallTimeout.TotalSeconds:0} s");
        }
    }
}
