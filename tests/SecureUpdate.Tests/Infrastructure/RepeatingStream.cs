namespace SecureUpdate.Tests.Infrastructure;

/// <summary>An endless asynchronous stream: the same bytes again and again; counts what was read from it.</summary>
internal sealed class RepeatingStream : AsyncReadStream
{
    private readonly byte[] _pattern;
    private int _offset;

    public RepeatingStream(byte[] pattern) => _pattern = pattern;

    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead { get; private set; }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = Math.Min(buffer.Length, _pattern.Length - _offset);
        _pattern.AsMemory(_offset, count).CopyTo(buffer);
        _offset = (_offset + count) % _pattern.Length;
        BytesRead += count;
        return ValueTask.FromResult(count);
    }
}
