using System.Buffers;
using System.Security.Cryptography;

namespace SecureUpdate.Platform;

/// <summary>
/// The single streaming pass: source → hash → destination, capped, with a stall timeout.
/// Every byte is read once; memory is one pooled buffer whatever the size.
/// </summary>
internal static class StreamCopier
{
    private const int BufferSize = 128 * 1024;

    /// <summary>
    /// Copies at most <paramref name="cap"/> bytes and reports whether the source held more.
    /// Throws <see cref="StallException"/> when one read waits longer than <paramref name="stallTimeout"/>.
    /// </summary>
    public static async Task<(long Copied, bool Overflow)> CopyAsync(
        Stream source,
        Stream destination,
        long cap,
        IncrementalHash? hash,
        TimeSpan stallTimeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var stall = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stall.Token);
        try
        {
            long copied = 0;
            while (true)
            {
                // Read one byte past the cap so that an overlong body is detected, never written.
                var remaining = cap - copied;
                var want = remaining >= buffer.Length ? buffer.Length : (int)remaining + 1;
                stall.CancelAfter(stallTimeout);
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, want), linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new StallException($"no data arrived for {stallTimeout.TotalSeconds:0} s");
                }

                if (read == 0)
                {
                    return (copied, false);
                }

                if (copied + read > cap)
                {
                    return (copied, true);
                }

                hash?.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                copied += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
