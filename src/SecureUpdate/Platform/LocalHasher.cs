using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <summary>
/// Hashes a local file where it lies (from a stream's position on, or a descriptor's start), in bounded chunks, inline: no copy
/// anywhere, no timer, no second thread. For bytes already on disk (an installed copy checked before it is
/// shared with a new version, the kept bytes of an interrupted download checked before it continues),
/// usually in the page cache: reading them costs a memory copy, so hashing inline is as fast as handing
/// buffers to another thread and cheaper for the many small files of a release.
/// </summary>
internal static class LocalHasher
{
    private const int BufferSize = 256 * 1024;

    /// <summary>
    /// Adds at most <paramref name="cap"/> bytes of <paramref name="source"/> to <paramref name="hash"/> and reports how
    /// many it held up to one past the cap (so an overlong file shows as <c>Read &gt; cap</c>, hashed only up to the cap).
    /// <paramref name="progress"/>, when given, is told each new count.
    /// </summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static long Hash(Stream source, long cap, IncrementalHash hash, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Hash((buffer, count) => source.Read(buffer, 0, count), cap, hash, progress, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="Hash(Stream, long, IncrementalHash, Action{long}?, CancellationToken)"/>, for a descriptor read
    /// from its start at offsets (<c>pread</c>): no stream around it, and no file position to keep.
    /// </summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static long Hash(SafeFileHandle source, long cap, IncrementalHash hash, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        long offset = 0;
        return Hash(
            (buffer, count) =>
            {
                var read = RandomAccess.Read(source, buffer.AsSpan(0, count), offset);
                offset += read;
                return read;
            },
            cap,
            hash,
            progress,
            cancellationToken);
    }

    /// <summary>The loop of both: <paramref name="read"/> fills the start of a buffer with at most a count of bytes.</summary>
    private static long Hash(Func<byte[], int, int> read, long cap, IncrementalHash hash, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, cap + 1));
        try
        {
            long count = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var got = read(buffer, (int)Math.Min(buffer.Length, cap + 1 - count));
                if (got == 0)
                {
                    return count;
                }

                if (count + got > cap)
                {
                    hash.AppendData(buffer, 0, (int)(cap - count));
                    return count + got;
                }

                hash.AppendData(buffer, 0, got);
                count += got;
                progress?.Invoke(count);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
