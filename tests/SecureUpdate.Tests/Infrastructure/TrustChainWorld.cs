using System.Text;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A feed with a trust chain, served over loopback HTTP, and a target installed from it by the real CLI: trust root 1
/// (root role: <see cref="Root1"/>; release role: <see cref="Release1"/>) and release 1.0.0 signed by
/// <see cref="Release1"/>, installed with <see cref="InitialTrust"/> (a copy of <c>trust/1.json</c>) as the starting root.
/// Tests rotate the chain and publish releases with the independent signer, then apply with the CLI.
/// </summary>
public sealed class TrustChainWorld : IAsyncDisposable
{
    public const string App = "chain-demo";

    private readonly List<ForgedKey> _keys = [];

    private TrustChainWorld(TempFolder temp, FeedServer server)
    {
        Temp = temp;
        Server = server;
        Forger = new FeedForger(Feed);
        Before = TargetSnapshot.Capture(Target);
    }

    public TempFolder Temp { get; }

    public string Feed => Temp.Combine("feed");

    public string Target => Temp.Combine("target");

    /// <summary>The starting root the target was installed with.</summary>
    public string InitialTrust => Temp.Combine("initial-root.json");

    public FeedServer Server { get; }

    public FeedForger Forger { get; }

    public ForgedKey Root1 { get; private set; } = null!;

    public ForgedKey Release1 { get; private set; } = null!;

    /// <summary>The target as it was after the last <see cref="Recapture"/>.</summary>
    public TargetSnapshot Before { get; private set; }

    public static async Task<TrustChainWorld> CreateAsync()
    {
        var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("feed"));
        var server = await FeedServer.StartAsync(temp.Combine("feed"));
        var world = new TrustChainWorld(temp, server);
        try
        {
            world.Root1 = world.NewKey();
            world.Release1 = world.NewKey();
            var root1 = world.Forger.PublishRoot(1, FeedForger.RootJson(1, DateTimeOffset.UtcNow.AddDays(365), new ForgedRole(1, world.Root1), new ForgedRole(1, world.Release1)), world.Root1);
            File.WriteAllBytes(world.InitialTrust, root1);
            world.PublishRelease("1.0.0", "one", world.Release1);
            var installed = await world.ApplyAsync(world.InitialTrust, "--app", App);
            installed.ShouldExitWith(0);
            world.Recapture();
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh key, disposed with the world.</summary>
    public ForgedKey NewKey()
    {
        var key = ForgedKey.Create();
        _keys.Add(key);
        return key;
    }

    /// <summary>Publishes trust root <paramref name="version"/> with the given roles, signed by <paramref name="signers"/>.</summary>
    public byte[] Rotate(int version, ForgedRole root, ForgedRole release, ForgedKey[] signers, ForgedKey[]? verifyOnly = null, DateTimeOffset? expires = null) =>
        Forger.PublishRoot(version, FeedForger.RootJson(version, expires ?? DateTimeOffset.UtcNow.AddDays(365), root, release, verifyOnly ?? []), signers);

    /// <summary>Publishes release <paramref name="version"/> of one file, <c>app.txt</c> holding <paramref name="contents"/>, signed by <paramref name="signers"/>.</summary>
    public ForgedRelease PublishRelease(string version, string contents, params ForgedKey[] signers) =>
        Forger.Publish(App, "stable", version, [new ForgedFile("app.txt", Encoding.UTF8.GetBytes(contents))], null, signers);

    /// <summary><c>apply --json</c> over HTTP with <paramref name="trustFile"/>.</summary>
    public Task<CliResult> ApplyAsync(string trustFile, params string[] extra) =>
        CliRunner.RunAsync(["apply", "--feed", Server.Url, "--trust", trustFile, "--target", Target, "--json", .. extra]);

    /// <summary>The trust root version the target pinned, from <c>status --json</c>.</summary>
    public async Task<int?> PinnedTrustVersionAsync()
    {
        var status = await CliRunner.RunAsync("status", "--target", Target, "--json");
        status.ShouldExitWith(0);
        return status.Json().TryGetProperty("trustVersion", out var version) ? version.GetInt32() : null;
    }

    /// <summary>The content of <c>current/app.txt</c>.</summary>
    public string CurrentContents() => File.ReadAllText(Path.Combine(Target, "current", "app.txt"));

    public void Recapture() => Before = TargetSnapshot.Capture(Target);

    /// <summary>The refusal contract: exit 3 with <paramref name="errorCode"/>, one clear line, and the target exactly as it was.</summary>
    public void ShouldBeRefused(CliResult result, string errorCode)
    {
        result.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode(errorCode);
        result.JsonString("outcome").Should().Be("failed", "a refused apply reports outcome \"failed\"\n{0}", result.Describe());
        Before.ShouldBeUnchanged();
    }

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
