using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <summary>
/// Hashes a local file where it lies, through its open descriptor at explicit offsets: no stream
/// position, no copy anywhere, no timer. For an installed copy, usually in the page cache, that is
/// checked before it is shared with a new version; reading it costs a memory copy, so hashing inline
/// is as fast as handing buffers to another thread and cheaper for the many small files of a release.
/// </summary>
internal static class LocalHasher
{
    private const int BufferSize = 256 * 1024;

    /// <summary>
    /// Adds at most <paramref name="cap"/> bytes of the file to <paramref name="hash"/> and reports how many
    /// it held up to one past the cap (so an overlong file shows as <c>Read &gt; cap</c>, hashed only up to the cap).
    /// <paramref name="progress"/>, when given, is told each new end position.
    /// </summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static long Hash(SafeFileHandle file, long cap, IncrementalHash hash, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(hash);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, cap + 1));
        try
        {
            long offset = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(buffer.Length, cap + 1 - offset);
                var read = RandomAccess.Read(file, buffer.AsSpan(0, want), offset);
                if (read == 0)
                {
                    return offset;
                }

                if (offset + read > cap)
                {
                    hash.AppendData(buffer, 0, (int)(cap - offset));
                    return offset + read;
                }

                hash.AppendData(buffer, 0, read);
                offset += read;
                progress?.Invoke(offset);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
