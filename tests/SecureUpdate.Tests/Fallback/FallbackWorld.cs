using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Configuration;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Fallback;

/// <summary>
/// A <see cref="ReleaseWorkspace"/> on a fake clock, an untrusted ("rogue") signing key, a place for
/// an allowlist, and clients built with any fallback mode. Releases hold one file, <c>app.txt</c>.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class FallbackWorld : IDisposable
{
    public const string AppFile = "app.txt";

    /// <summary>The fake clock's start.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<ServiceProvider> _providers = [];

    public FallbackWorld()
    {
        Time = new FakeTimeProvider(Start);
        Workspace = new ReleaseWorkspace(Time);
        (RogueKeyFile, _) = Workspace.GenerateKey("rogue");
        AllowlistPath = Path.Combine(Workspace.Root, "allowlist.json");
    }

    public FakeTimeProvider Time { get; }

    public ReleaseWorkspace Workspace { get; }

    /// <summary>A key the workspace's trust root does not know.</summary>
    public string RogueKeyFile { get; }

    /// <summary>Where tests write the allowlist (not created).</summary>
    public string AllowlistPath { get; }

    public string Target => Workspace.Target;

    /// <summary><see cref="Target"/> as the library names it.</summary>
    public SecureUpdate.Target Folder => Workspace.Folder;

    public string StateFolder => Path.Combine(Target, ".secure-update");

    /// <summary>The local debug-shell switch of the target.</summary>
    public string DebugAllowed => DebugSwitch.FilePath(Target);

    /// <summary>Where <c>current</c> points (<c>versions/X</c>), or null when there is no link.</summary>
    public string? Current => new FileInfo(Path.Combine(Target, "current")).LinkTarget;

    /// <summary>A client with the hard-reset default, from the workspace's own DI container.</summary>
    public UpdateClient DefaultClient => Workspace.Client;

    /// <summary>A client from a new DI container with <paramref name="mode"/>, on the same fake clock.</summary>
    public UpdateClient CreateClient(FallbackMode mode, string? allowlistPath = null, ILoggerProvider? logging = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        if (logging is not null)
        {
            services.AddLogging(builder => builder.AddProvider(logging).SetMinimumLevel(LogLevel.Trace));
        }

        var provider = services.AddSecureUpdate(options =>
        {
            options.Fallback = mode;
            options.AllowlistPath = allowlistPath;
        }).BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<UpdateClient>();
    }

    /// <summary>A hash-allowlist client reading <see cref="AllowlistPath"/>.</summary>
    public UpdateClient CreateAllowlistClient() => CreateClient(FallbackMode.HashAllowlist, AllowlistPath);

    /// <summary>Publishes <paramref name="version"/> with <c>app.txt</c> = <paramref name="contents"/>, signed by the release key or, when <paramref name="rogue"/>, only by the untrusted key.</summary>
    public Task<ReleaseResult> PublishAsync(string version, string contents, bool rogue = false, string? feed = null)
    {
        Workspace.WriteInput(AppFile, contents);
        return Workspace.PublishAsync(version, feed: feed, keyFiles: rogue ? [RogueKeyFile] : null);
    }

    /// <summary>Applies the channel to the target with <paramref name="client"/> and the workspace's trust root.</summary>
    public Task<ApplyResult> ApplyAsync(UpdateClient client, string? feed = null) =>
        client.ApplyAsync(new ApplyRequest { Feed = feed ?? Workspace.Feed, Trust = Workspace.Trust, Target = SecureUpdate.Target.Folder(Target), App = ReleaseWorkspace.App });

    /// <summary>Lists <paramref name="manifestSha256"/> in an owner-only allowlist at <see cref="AllowlistPath"/>, valid for <paramref name="validFor"/> (default 7 days).</summary>
    public void AllowManifest(string manifestSha256, TimeSpan? validFor = null, string? note = null) =>
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(manifestSha256, Time.GetUtcNow() + (validFor ?? TimeSpan.FromDays(7)), note));

    /// <summary>The target's audit events, asserting that the hash chain is intact.</summary>
    public IReadOnlyList<AuditEvent> Events()
    {
        var log = DefaultClient.ReadEvents(SecureUpdate.Target.Folder(Target));
        var broken = log.Broken;
        var events = log.Events;
        broken.Should().BeNull("the audit log's chain must stay intact");
        return events;
    }

    /// <summary>The feed file holding <paramref name="contents"/> (payloads are stored by digest).</summary>
    public string FeedBlob(string contents) =>
        Directory.GetFiles(Path.Combine(Workspace.Feed, "blobs", "sha256")).Single(blob => File.ReadAllText(blob) == contents);

    /// <summary>A path inside the feed, e.g. <c>demo/stable/channel.json.sig</c>.</summary>
    public string FeedFile(string relative) => Path.Combine(Workspace.Feed, relative);

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        Workspace.Dispose();
    }
}
