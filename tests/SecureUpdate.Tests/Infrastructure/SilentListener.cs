using System.Net;
using System.Net.Sockets;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A loopback port that accepts connections and never answers a byte: a mirror that hangs. Counts the
/// connections it accepted; everything is closed on dispose.
/// </summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();

    public SilentListener()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = AcceptAsync();
    }

    /// <summary>The URL of the hanging "mirror" (no trailing slash).</summary>
    public string Url { get; }

    /// <summary>How many connections were accepted so far.</summary>
    public int Connections
    {
        get
        {
            lock (_lock)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>A loopback URL on which nothing listens: connections are refused at once.</summary>
    public static string RefusingUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        lock (_lock)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                lock (_lock)
                {
                    _clients.Add(client);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
