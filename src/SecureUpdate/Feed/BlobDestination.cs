using System.Security.Cryptography;
using SecureUpdate.Platform;

namespace SecureUpdate.Feed;

/// <summary>
/// Where one blob download goes: a file, the running SHA-256 of what it holds and, for a download that
/// may continue an interrupted one, the URL its bytes came from and the validator the server gave for
/// them. Bytes already in the file are never trusted: <see cref="Prepare"/> hashes them again from
/// their start before anything is appended, and the caller compares the final digest with the signed one
/// as always, so a changed or torn partial file can cost a download but never install wrong bytes.
/// </summary>
internal sealed class BlobDestination
{
    private readonly Action<string, string?>? _started;
    private bool _empty;

    /// <param name="stream">The file, readable, writable and seekable, positioned at its start.</param>
    /// <param name="hash">A fresh SHA-256.</param>
    /// <param name="source">The URL the file's bytes came from, or null when they may not be continued.</param>
    /// <param name="validator">The validator the server gave for those bytes, or null.</param>
    /// <param name="started">Told of the URL and validator of every body that starts from byte 0 (to keep them for the next run).</param>
    /// <param name="empty">Whether the file was just created empty (then it needs no truncation before the first byte).</param>
    public BlobDestination(Stream stream, IncrementalHash hash, string? source = null, string? validator = null, Action<string, string?>? started = null, bool empty = false)
    {
        _empty = empty;
        Stream = stream;
        Hash = hash;
        Source = source;
        Validator = validator;
        _started = started;
    }

    public Stream Stream { get; }

    /// <summary>The SHA-256 of the first <see cref="Offset"/> bytes of <see cref="Stream"/>.</summary>
    public IncrementalHash Hash { get; }

    /// <summary>The URL the bytes came from, or null.</summary>
    public string? Source { get; private set; }

    /// <summary>The strong ETag (quoted) or Last-Modified date (RFC 1123) of those bytes, or null: then they are never continued.</summary>
    public string? Validator { get; private set; }

    /// <summary>How many bytes the file holds and <see cref="Hash"/> covers; the next byte is written there.</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// Before each try of a download from <paramref name="source"/>: when the file holds bytes that came
    /// from that same URL under a known validator, and no more than <paramref name="size"/>, hashes them
    /// again from their start and returns how many there are; otherwise empties the file and returns 0.
    /// </summary>
    public long Prepare(string source, long size, CancellationToken cancellationToken)
    {
        if (Validator is null || !string.Equals(Source, source, StringComparison.Ordinal))
        {
            Restart();
            return 0;
        }

        var length = Stream.Length;
        if (length == 0 || length > size)
        {
            Restart();
            return 0;
        }

        _ = Hash.GetHashAndReset();
        Stream.Position = 0;
        if (LocalHasher.Hash(Stream, length, Hash, progress: null, cancellationToken) != length)
        {
            Restart();
            return 0;
        }

        Stream.Position = length;
        Offset = length;
        return length;
    }

    /// <summary>Empties the file and the hash: the next byte written is byte 0.</summary>
    public void Restart()
    {
        // A file just created empty needs no truncation before its first byte (one system call less per file).
        if (!_empty || Stream.Position != 0)
        {
            Stream.SetLength(0);
            Stream.Position = 0;
            _empty = true;
        }

        _ = Hash.GetHashAndReset();
        Offset = 0;
    }

    /// <summary>A whole body starts from byte 0, from <paramref name="source"/>, with <paramref name="validator"/> (null when the server gave none usable).</summary>
    public void Started(string source, string? validator)
    {
        Source = source;
        Validator = validator;
        _started?.Invoke(source, validator);
    }
}
