namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A readable stream over fixed bytes that returns at most a few bytes per read, as a slow network does.</summary>
internal sealed class TricklingStream : AsyncReadStream
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

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LargestRequest = Math.Max(LargestRequest, buffer.Length);
        int count = Math.Min(Math.Min(_chunk, buffer.Length), _data.Length - _position);
        _data.AsSpan(_position, count).CopyTo(buffer.Span);
        _position += count;
        return ValueTask.FromResult(count);
    }
}
