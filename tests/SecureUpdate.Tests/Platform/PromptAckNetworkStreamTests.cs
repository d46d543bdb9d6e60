using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using SecureUpdate.Platform;

namespace SecureUpdate.Tests.Platform;

/// <summary>
/// <see cref="PromptAckNetworkStream"/> on a real loopback connection that behaves like a keep-alive HTTP exchange:
/// after a few request and response rounds Linux delays a plain connection's acknowledgements ("ping-pong" mode,
/// <c>TCP_QUICKACK</c> reads 0), which stalled the last bytes of a large response; ours leaves that mode after each request.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PromptAckNetworkStreamTests
{
    private const int Rounds = 3;
    private const int ResponseBytes = 200_000;

    [Fact]
    public async Task AfterEachRequest_OurConnectionAcknowledgesPromptly_WhereAPlainOneDelays()
    {
        (await AcknowledgesPromptlyAfterRoundsAsync(socket => new NetworkStream(socket, ownsSocket: true)))
            .Should().BeFalse("the kernel delays the acknowledgements of a plain keep-alive connection (the reason for the stream)");
        (await AcknowledgesPromptlyAfterRoundsAsync(socket => new PromptAckNetworkStream(socket)))
            .Should().BeTrue("each request leaves ping-pong mode again");
    }

    /// <summary>Runs <see cref="Rounds"/> exchanges (a small request, a large response read whole) and reads TCP_QUICKACK after the last request.</summary>
    private static async Task<bool> AcknowledgesPromptlyAfterRoundsAsync(Func<Socket, NetworkStream> wrap)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = ServeAsync(listener, timeout.Token);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync((IPEndPoint)listener.LocalEndpoint, timeout.Token);
        await using var client = wrap(socket);
        var response = new byte[ResponseBytes];
        for (var round = 0; round < Rounds; round++)
        {
            await client.WriteAsync(new byte[] { (byte)round }, timeout.Token);
            await client.ReadExactlyAsync(response, timeout.Token);
            response.Should().OnlyContain(value => value == (byte)round, "every byte of round {0} arrives intact", round);
        }

        await client.WriteAsync(new byte[] { 0xFF }, timeout.Token);
        var promptly = QuickAck(socket);
        await serving;
        return promptly;
    }

    /// <summary>Answers each one-byte request with <see cref="ResponseBytes"/> copies of it, until 0xFF.</summary>
    private static async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var server = await listener.AcceptSocketAsync(cancellationToken);
        await using var stream = new NetworkStream(server, ownsSocket: false);
        var request = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(request, cancellationToken);
            if (request[0] == 0xFF)
            {
                return;
            }

            await stream.WriteAsync(Enumerable.Repeat(request[0], ResponseBytes).ToArray(), cancellationToken);
        }
    }

    private static bool QuickAck(Socket socket)
    {
        var value = new byte[sizeof(int)];
        socket.GetRawSocketOption(6, 12, value); // IPPROTO_TCP, TCP_QUICKACK
        return BitConverter.ToInt32(value) != 0;
    }
}
