using System.Text;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A release engineer's desk for key ceremonies through the real CLI: key files (written by the independent
/// signer, so each test makes many quickly), a feed folder served over loopback HTTP, an input folder and a target.
/// </summary>
public sealed class TrustCeremony : IAsyncDisposable
{
    public const string App = "ceremony";

    private readonly List<ForgedKey> _keys = [];

    private TrustCeremony(TempFolder temp, FeedServer server)
    {
        Temp = temp;
        Server = server;
    }

    public TempFolder Temp { get; }

    public FeedServer Server { get; }

    public string Feed => Temp.Combine("feed");

    public string Target => Temp.Combine("target");

    public string Input => Temp.Combine("input");

    public static async Task<TrustCeremony> CreateAsync()
    {
        var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("feed"));
        Directory.CreateDirectory(temp.Combine("input"));
        Directory.CreateDirectory(temp.Combine("keys"));
        return new TrustCeremony(temp, await FeedServer.StartAsync(temp.Combine("feed")));
    }

    /// <summary>Writes <c>keys/NAME.key</c> and <c>keys/NAME.pub</c>; returns the path without extension.</summary>
    public string Key(string name)
    {
        var key = ForgedKey.Create();
        _keys.Add(key);
        var path = Temp.Combine("keys", name);
        key.WritePrivateKeyFile(path + ".key");
        key.WritePublicKeyFile(path + ".pub");
        return path;
    }

    /// <summary>The key id recorded in <c>NAME.pub</c>, for a key path without extension.</summary>
    public static string KeyId(string key)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(key + ".pub"));
        return document.RootElement.GetProperty("keyId").GetString()!;
    }

    /// <summary>Runs the CLI with <c>--json</c>.</summary>
    public static Task<CliResult> RunAsync(params string[] arguments) => CliRunner.RunAsync([.. arguments, "--json"]);

    /// <summary><c>trust init</c>, one <c>sign</c> per root signer, then <c>trust publish</c>; every step must succeed.</summary>
    public async Task<string> PublishRootAsync(string name, string[] arguments, params string[] signers)
    {
        var document = Temp.Combine(name + ".json");
        (await RunAsync(["trust", "init", "--out", document, .. arguments])).ShouldExitWith(0);
        foreach (var signer in signers)
        {
            (await RunAsync("sign", "--key", signer + ".key", document)).ShouldExitWith(0);
        }

        (await RunAsync("trust", "publish", "--feed", Feed, document)).ShouldExitWith(0);
        return document;
    }

    /// <summary><c>release</c> of one file, <c>app.txt</c> holding <paramref name="contents"/>, signed by <paramref name="keys"/>.</summary>
    public Task<CliResult> ReleaseAsync(string version, string contents, params string[] keys)
    {
        File.WriteAllText(Path.Combine(Input, "app.txt"), contents, Encoding.UTF8);
        return RunAsync(["release", "--feed", Feed, "--app", App, "--version", version, "--input", Input, .. keys.SelectMany(k => new[] { "--key", k + ".key" })]);
    }

    /// <summary><c>apply</c> over HTTP with <paramref name="trust"/>.</summary>
    public Task<CliResult> ApplyAsync(string trust, params string[] extra) =>
        RunAsync(["apply", "--feed", Server.Url, "--trust", trust, "--target", Target, "--app", App, .. extra]);

    /// <summary>The content of <c>current/app.txt</c>.</summary>
    public string CurrentContents() => File.ReadAllText(Path.Combine(Target, "current", "app.txt"));

    /// <summary>The pointer's version in the feed.</summary>
    public string FeedChannel() => File.ReadAllText(Path.Combine(Feed, App, "stable", "channel.json"));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        Temp.Dispose();
    }
}
