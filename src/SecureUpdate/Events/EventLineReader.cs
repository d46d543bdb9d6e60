namespace SecureUpdate.Events;

/// <summary>
/// Splits <c>events.log</c> into lines with bounded memory whatever the file holds: a line longer
/// than <see cref="MaxLineBytes"/> is never read into memory; it ends the reading as damage.
/// </summary>
internal static class EventLineReader
{
    /// <summary>The longest line a log may hold; every line the product writes is far shorter.</summary>
    public const int MaxLineBytes = 64 * 1024;

    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Each line's bytes (without its <c>\n</c>; the last line may lack one), in order; null for a line
    /// over the cap, after which nothing more is read.
    /// </summary>
    public static IEnumerable<byte[]?> ReadLines(Stream stream)
    {
        var line = new byte[MaxLineBytes];
        var chunk = new byte[ChunkBytes];
        int length = 0;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            int start = 0;
            while (start < read)
            {
                int newline = Array.IndexOf(chunk, (byte)'\n', start, read - start);
                int end = newline < 0 ? read : newline;
                int segment = end - start;
                if (length + segment > MaxLineBytes)
                {
                    yield return null;
                    yield break;
                }

                Buffer.BlockCopy(chunk, start, line, length, segment);
                length += segment;
                if (newline < 0)
                {
                    break;
                }

                yield return line.AsSpan(0, length).ToArray();
                length = 0;
                start = newline + 1;
            }
        }

        if (length > 0)
        {
            yield return line.AsSpan(0, length).ToArray();
        }
    }
}
