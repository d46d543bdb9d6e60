namespace SecureUpdate.Feed;

/// <summary>
/// A read-only view of a stream that ends after <see cref="Limit"/> bytes and then says whether the
/// source held more (<see cref="Exceeded"/>): the bound on the compressed bytes of an encoded document,
/// so that compressed data which decodes to little or nothing cannot be read without end.
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private long _read;

    public BoundedReadStream(Stream inner, long limit)
    {
        _inner = inner;
        Limit = limit;
    }

    /// <summary>The most bytes read from the source.</summary>
    public long Limit { get; }

    /// <summary>True once the source offered a byte past <see cref="Limit"/>.</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Exceeded || buffer.IsEmpty)
        {
            return 0;
        }

        var read = _inner.Read(buffer[..Allowed(buffer.Length)]);
        return Count(read);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // A zero-byte read of a network stream waits for data: never issued, least of all past the limit.
        if (Exceeded || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await _inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false);
        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Asks for one byte past the limit at most, so that more is noticed without being used.</summary>
    private int Allowed(int wanted) => (int)Math.Min(wanted, Limit + 1 - _read);

    private int Count(int read)
    {
        _read += read;
        if (_read > Limit)
        {
            Exceeded = true;
            return 0;
        }

        return read;
    }
}
