namespace SecureUpdate.Tests.TestSupport;

/// <summary>A readable stream over fixed bytes that returns at most a few bytes per read, as a slow network does.</summary>
internal sealed class TricklingStream : Stream
{
    private readonly byte[] _data;
    private readonly int _chunk;
    private int _position;

    public TricklingStream(byte[] data, int chunk)
    {
        _data = data;
        _chunk = chunk;
    }

    /// <summary>The largest count any read asked for.</summary>
    public int LargestRequest { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LargestRequest = Math.Max(LargestRequest, buffer.Length);
        int count = Math.Min(Math.Min(_chunk, buffer.Length), _data.Length - _position);
        _data.AsSpan(_position, count).CopyTo(buffer.Span);
        _position += count;
        return ValueTask.FromResult(count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Only asynchronous reads are expected.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
