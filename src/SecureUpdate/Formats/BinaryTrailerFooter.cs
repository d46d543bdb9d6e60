using System.Buffers.Binary;

namespace SecureUpdate.Formats;

/// <summary>
/// The fixed 24-byte footer at the very end of a file signed in embedded mode (docs/formats.md,
/// "Embedded signature trailer"): the payload length (u64 LE), the signature block length (u32 LE),
/// the format version (u32 LE) and the magic <c>SUBINSIG</c>. A reader finds the trailer from the end
/// of the file and trusts none of these numbers until they add up to the file's length exactly.
/// </summary>
internal readonly record struct BinaryTrailerFooter(ulong PayloadLength, uint BlockLength)
{
    /// <summary>Bytes in the footer.</summary>
    public const int Size = 24;

    /// <summary>The only format version written and read.</summary>
    public const uint Version = 1;

    /// <summary>Largest signature block written or read (endless-data defence; the same cap as a <c>.sig</c>).</summary>
    public const int MaxBlockBytes = 64 * 1024;

    private const int MagicOffset = 16;

    /// <summary>The last 8 bytes of a signed file.</summary>
    public static ReadOnlySpan<byte> Magic => "SUBINSIG"u8;

    /// <summary>Whether <paramref name="footer"/> (the last <see cref="Size"/> bytes of a file) ends with the magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> footer) => footer.Length == Size && footer[MagicOffset..].SequenceEqual(Magic);

    /// <summary>Parses the footer of a file of <paramref name="fileLength"/> bytes strictly.</summary>
    /// <exception cref="FormatException">No magic, another version, a block length out of range, or lengths that do not add up to the file's.</exception>
    public static BinaryTrailerFooter Parse(ReadOnlySpan<byte> footer, long fileLength)
    {
        if (!HasMagic(footer))
        {
            throw new FormatException("the file does not end with the trailer's magic");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(footer[12..]);
        if (version != Version)
        {
            throw new FormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"its format version is {version}, not {Version}"));
        }

        var payload = BinaryPrimitives.ReadUInt64LittleEndian(footer);
        var block = BinaryPrimitives.ReadUInt32LittleEndian(footer[8..]);
        if (block is 0 or > MaxBlockBytes)
        {
            throw new FormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"its signature block length {block} is not between 1 and {MaxBlockBytes} bytes"));
        }

        // Compared without overflow: a payload length above the file's own length can never add up.
        if (fileLength < Size || payload > (ulong)fileLength || payload + block + Size != (ulong)fileLength)
        {
            throw new FormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"its lengths (payload {payload} + signature block {block} + footer {Size} bytes) do not add up to the file's {fileLength} bytes"));
        }

        return new BinaryTrailerFooter(payload, block);
    }

    /// <summary>The footer's 24 bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, PayloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), BlockLength);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), Version);
        Magic.CopyTo(bytes.AsSpan(MagicOffset));
        return bytes;
    }
}
