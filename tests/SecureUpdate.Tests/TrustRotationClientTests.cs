using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests;

/// <summary>
/// The library sees rotation without new API calls: the trust a target was first given stays the one its owner
/// passes, and every check or apply walks the feed's chain from the root the target pinned.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class TrustRotationClientTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task CheckForUpdateAsync_AfterARotation_VerifiesWithTheNewRootAndPinsIt()
    {
        var (rootKey, _) = _workspace.GenerateKey("root");
        PublishRoot(1, rootKey, [Pub("root")], [Pub("release")]);
        var initial = TrustRoot.Load(new System.IO.Abstractions.FileSystem(), Path.Combine(_workspace.Feed, "trust", "1.json"));
        await PublishAsync("1.0.0", "one", _workspace.KeyFile);
        await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = initial, Target = _workspace.Folder, App = ReleaseWorkspace.App });
        var (newRelease, _) = _workspace.GenerateKey("release-2");
        PublishRoot(2, rootKey, [Pub("root")], [Pub("release-2")]);
        await PublishAsync("1.1.0", "two", newRelease);

        var check = await _workspace.Client.CheckForUpdateAsync(new UpdateCheckRequest { Feed = _workspace.Feed, Trust = initial, Target = _workspace.Folder });

        check.Outcome.Should().Be(UpdateCheckOutcome.Available);
        check.Version.Should().Be("1.1.0");
        _workspace.Client.GetStatus(_workspace.Folder).TrustVersion.Should().Be(2, "the check pinned the rotation it verified");
        _workspace.Client.GetPinnedTrust(_workspace.Folder).ReleaseRole.KeyIds.Should().ContainSingle()
            .Which.Should().Be(TrustRoot.Load(new System.IO.Abstractions.FileSystem(), Pub("release-2")).ReleaseRole.KeyIds[0], "root 2 names the new release key");
    }

    [Fact]
    public async Task ApplyAsync_TargetStartedFromAPublicKey_WalksIntoAChainThatKeySigned()
    {
        // An existing deployment pinned release.pub (a starting root, version 0); the publisher then starts a chain
        // whose root 1 that very key signs as the old root.
        await PublishAsync("1.0.0", "one", _workspace.KeyFile);
        await _workspace.ApplyAsync();
        var (rootKey, _) = _workspace.GenerateKey("root");
        var document = Path.Combine(_workspace.Root, "root-1.json");
        _workspace.TrustPublisher.Init(new TrustInitRequest { Out = document, RootKeys = [Pub("root")], ReleaseKeys = [Pub("release")] });
        _workspace.Cosigner.Sign(document, _workspace.KeyFile);
        _workspace.Cosigner.Sign(document, rootKey);
        _workspace.TrustPublisher.Publish(_workspace.Feed, document);
        await PublishAsync("1.1.0", "two", _workspace.KeyFile);

        var result = await _workspace.ApplyAsync();

        result.Outcome.Should().Be(ApplyOutcome.Updated);
        _workspace.Client.GetStatus(_workspace.Folder).TrustVersion.Should().Be(1);
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.1.0", "the .pub it started from is an earlier root of its chain");
    }

    [Fact]
    public async Task TrustChainReader_ExactlyOneThousandRotations_AreWalkedInOneRun()
    {
        var (rootKey, _) = _workspace.GenerateKey("root");
        PublishRoot(1, rootKey, [Pub("root")], [Pub("release")]);
        var first = _workspace.TrustPublisher.ReadFeed(_workspace.Feed)!;
        using (var root = ForgedKey.Load(rootKey))
        using (var release = ForgedKey.Load(_workspace.KeyFile))
        {
            var forger = new FeedForger(_workspace.Feed);
            for (var version = 2; version <= TrustChainReader.MaxSteps + 1; version++)
            {
                forger.PublishRoot(version, FeedForger.RootJson(version, DateTimeOffset.UtcNow.AddDays(30), new ForgedRole(1, root), new ForgedRole(1, release)), root);
            }
        }

        using var feed = new LocalFeedSource(new System.IO.Abstractions.FileSystem(), _workspace.Feed, TimeProvider.System, TimeSpan.FromSeconds(30));
        var walk = await new TrustChainReader(feed, DateTimeOffset.UtcNow).WalkAsync(first, CancellationToken.None);

        walk.Steps.Should().HaveCount(TrustChainReader.MaxSteps);
        walk.Newest.Version.Should().Be(TrustChainReader.MaxSteps + 1);
    }

    [Fact]
    public void TrustPublisher_PublishingAnExpiredRoot_IsRefusedAndTheFeedUnchanged()
    {
        var (rootKey, _) = _workspace.GenerateKey("root");
        var document = Path.Combine(_workspace.Root, "root-1.json");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var publisher = new TrustPublisher(new System.IO.Abstractions.FileSystem(), clock);
        publisher.Init(new TrustInitRequest { Out = document, RootKeys = [Pub("root")], ReleaseKeys = [Pub("release")], ExpiresIn = TimeSpan.FromDays(1) });
        _workspace.Cosigner.Sign(document, rootKey);
        clock.Advance(TimeSpan.FromDays(2));

        var publish = () => publisher.Publish(_workspace.Feed, document);

        publish.Should().Throw<VerificationException>().Which.Code.Should().Be(ErrorCode.Expired);
        Directory.Exists(Path.Combine(_workspace.Feed, "trust")).Should().BeFalse();
    }

    private string Pub(string name) => Path.Combine(_workspace.Keys, name + ".pub");

    private void PublishRoot(int version, string rootKey, string[] rootKeys, string[] releaseKeys)
    {
        var document = Path.Combine(_workspace.Root, $"root-{version}.json");
        _workspace.TrustPublisher.Init(new TrustInitRequest { Out = document, RootKeys = rootKeys, ReleaseKeys = releaseKeys, Feed = version == 1 ? null : _workspace.Feed });
        _workspace.Cosigner.Sign(document, rootKey);
        _workspace.TrustPublisher.Publish(_workspace.Feed, document).Root.Version.Should().Be(version);
    }

    private Task<ReleaseResult> PublishAsync(string version, string contents, string keyFile)
    {
        _workspace.WriteInput("app.txt", contents);
        return _workspace.PublishAsync(version, keyFiles: [keyFile]);
    }
}
