using System.Buffers;
using System.Security.Cryptography;

namespace SecureUpdate.Platform;

/// <summary>
/// The single streaming pass: source → destination, hashed, capped, with a stall timeout. Every byte
/// is read once. SHA-256 of one buffer runs on another thread while the next buffer is read and
/// written (double buffering), so hashing costs no time on top of the transfer; memory is two pooled
/// buffers whatever the size.
/// </summary>
internal static class StreamCopier
{
    /// <summary>Large enough that a hand-over to the hashing thread is rare next to the work it carries, small enough to stay flat.</summary>
    private const int BufferSize = 256 * 1024;

    /// <summary>
    /// Copies at most <paramref name="cap"/> bytes and reports whether the source held more; the
    /// bytes copied (and only they) are in <paramref name="hash"/> when this returns.
    /// Throws <see cref="StallException"/> when one read waits longer than <paramref name="stallTimeout"/>.
    /// Writes are synchronous: a staging file written through the thread pool costs a hand-over per
    /// write and gains nothing (a file write does not wait on the network).
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
        var buffers = new byte[]?[2];
        using var stall = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stall.Token);
        var reading = new StreamFiller(source, stall, stallTimeout, timeProvider, linked.Token, cancellationToken);

        // The hash of the buffer before the current one: awaited before that buffer is filled again, and
        // before the next one is hashed, so the hash sees the bytes in order and a buffer is never refilled
        // while it is hashed.
        var hashing = Task.CompletedTask;
        try
        {
            long copied = 0;
            for (var turn = 0; ; turn ^= 1)
            {
                var buffer = buffers[turn] ??= ArrayPool<byte>.Shared.Rent(BufferSize);

                // Read one byte past the cap so that an overlong body is detected, never written.
                var (filled, ended) = await reading.FillAsync(buffer, cap - copied).ConfigureAwait(false);
                if (copied + filled > cap)
                {
                    await hashing.ConfigureAwait(false);
                    return (copied, true);
                }

                if (filled > 0)
                {
                    destination.Write(buffer, 0, filled);
                    await hashing.ConfigureAwait(false);
                    hashing = hash is null ? Task.CompletedTask
                        : ended ? HashNow(hash, buffer, filled)
                        : Task.Run(() => hash.AppendData(buffer, 0, filled), CancellationToken.None);
                    copied += filled;
                }

                if (ended)
                {
                    await hashing.ConfigureAwait(false);
                    return (copied, false);
                }
            }
        }
        finally
        {
            // Never hand a buffer back to the pool while the hashing thread may still read it.
            try
            {
                await hashing.ConfigureAwait(false);
            }
            catch (CryptographicException)
            {
                // Already reported by the await above, or irrelevant after another failure.
            }

            foreach (var buffer in buffers)
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    /// <summary>The last buffer of a source (or the only one of a small file): hashed on this thread, a hand-over would only add latency.</summary>
    private static Task HashNow(IncrementalHash hash, byte[] buffer, int count)
    {
        hash.AppendData(buffer, 0, count);
        return Task.CompletedTask;
    }
}
