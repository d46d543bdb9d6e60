namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A readable stream that never delivers a byte: every read waits until it is cancelled.</summary>
internal sealed class StallingStream : AsyncReadStream
{
    public int Reads { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Reads++;
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }
}
