using System.Net.Sockets;

namespace SecureUpdate.Platform;

/// <summary>
/// A connection that acknowledges the response to each request as soon as it has been read.
/// <para>
/// Linux treats a keep-alive connection that sends a request just after reading a response as interactive
/// ("ping-pong") and from then on delays its acknowledgements by up to 40 ms, hoping to send them with the next
/// request. A server whose send buffer is full of bytes we have read but not yet acknowledged then waits that long
/// before it sends the rest of the body. On loopback (a 64 KiB segment size) this stalled a 350 KB manifest for
/// 40 ms in about half the runs, longer than the whole rest of an update. Leaving ping-pong mode after each request
/// (<c>TCP_QUICKACK</c>) lets the kernel acknowledge as soon as a read drains the socket, as it does on a new
/// connection. It costs one <c>setsockopt</c> per request; elsewhere than Linux nothing is done.
/// </para>
/// </summary>
internal sealed class PromptAckNetworkStream : NetworkStream
{
    // IPPROTO_TCP and TCP_QUICKACK from <netinet/tcp.h>: not in SocketOptionName, so set raw.
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] Enabled = BitConverter.GetBytes(1);

    /// <summary>Takes ownership of a connected <paramref name="socket"/>.</summary>
    public PromptAckNetworkStream(Socket socket)
        : base(socket, ownsSocket: true)
    {
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        base.Write(buffer, offset, count);
        AcknowledgePromptly();
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        base.Write(buffer);
        AcknowledgePromptly();
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await base.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        AcknowledgePromptly();
    }

    private void AcknowledgePromptly()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            Socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, Enabled);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Only a hint: a socket that refuses it (reset, or closed meanwhile) fails on its next read instead.
        }
    }
}
