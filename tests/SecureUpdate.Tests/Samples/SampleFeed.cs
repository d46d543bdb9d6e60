using System.Security.Cryptography;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// A release engineer's side for the sample tests: a throwaway key made with <c>secure-update keygen</c>, releases
/// made with <c>secure-update release</c> into a publisher's folder, and a loopback <see cref="FeedServer"/> over the
/// served folder. A release becomes visible only when it is uploaded, payloads first and the channel pointer
/// last, each file renamed into place; so a test can tamper with a release before any client can see it.
/// </summary>
internal sealed class SampleFeed : IAsyncDisposable
{
    private readonly FeedServer _server;

    private SampleFeed(string publisher, string served, string keyFile, string trustFile, FeedServer server)
    {
        Publisher = publisher;
        Served = served;
        KeyFile = keyFile;
        TrustFile = trustFile;
        _server = server;
    }

    /// <summary>The feed URL on loopback.</summary>
    public string Url => _server.Url;

    /// <summary>The public key clients pin.</summary>
    public string TrustFile { get; }

    public string KeyFile { get; }

    /// <summary>The folder <c>secure-update release</c> writes to.</summary>
    public string Publisher { get; }

    /// <summary>The folder the server serves.</summary>
    public string Served { get; }

    public static async Task<SampleFeed> CreateAsync(TempFolder temp)
    {
        var keys = temp.CreateFolder("keys");
        (await CliRunner.RunAsync("keygen", "--out", keys, "--name", "samples")).ShouldExitWith(0);
        var served = temp.CreateFolder("feed");
        var server = await FeedServer.StartAsync(served);
        return new SampleFeed(temp.CreateFolder("publisher"), served, Path.Combine(keys, "samples.key"), Path.Combine(keys, "samples.pub"), server);
    }

    /// <summary>
    /// Releases <paramref name="input"/> as <paramref name="app"/> <paramref name="version"/>, lets
    /// <paramref name="tamper"/> change the publisher's folder (an attacker on the server), then uploads.
    /// </summary>
    public async Task ReleaseAsync(string app, string version, string input, Action<SampleFeed>? tamper = null)
    {
        (await CliRunner.RunAsync("release", "--feed", Publisher, "--app", app, "--version", version, "--input", input, "--key", KeyFile, "--json"))
            .ShouldExitWith(0);
        tamper?.Invoke(this);
        Upload();
    }

    /// <summary>The publisher's blob holding the content of <paramref name="file"/> (blobs are named by SHA-256).</summary>
    public string BlobOf(string file) =>
        Path.Combine(Publisher, "blobs", "sha256", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));

    /// <summary>Flips one byte in the middle of <paramref name="path"/>: same size, different content.</summary>
    public static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private void Upload()
    {
        var changed = Directory.EnumerateFiles(Publisher, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Publisher, file).Replace('\\', '/'))
            .Where(path => !File.Exists(Path.Combine(Served, path)) || !File.ReadAllBytes(Path.Combine(Served, path)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Publisher, path))))
            .OrderBy(UploadOrder)
            .ThenBy(path => path, StringComparer.Ordinal);
        foreach (var path in changed)
        {
            var destination = Path.Combine(Served, path);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var partial = destination + ".uploading";
            File.Copy(Path.Combine(Publisher, path), partial, overwrite: true);
            File.Move(partial, destination, overwrite: true);
        }
    }

    /// <summary>Payloads, then manifests, then the channel pointer's signature and the pointer itself.</summary>
    private static int UploadOrder(string path) =>
        path.StartsWith("blobs/", StringComparison.Ordinal) ? 0
        : path.Contains("/manifests/", StringComparison.Ordinal) ? 1
        : path.EndsWith(".sig", StringComparison.Ordinal) ? 2
        : 3;
}
