using System.Net.Http;
using System.Net.Sockets;

namespace SecureUpdate.Platform;

/// <summary>
/// Opens the feed's TCP connections as <see cref="SocketsHttpHandler"/> would by default (a dual-stack socket,
/// no Nagle delay, every address of the host name in turn), but as a <see cref="PromptAckNetworkStream"/>.
/// </summary>
internal static class TcpConnector
{
    /// <summary>Connects to <paramref name="context"/>'s endpoint; the handler's connect timeout cancels it.</summary>
    /// <exception cref="SocketException">No address of the host accepted the connection.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new PromptAckNetworkStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
