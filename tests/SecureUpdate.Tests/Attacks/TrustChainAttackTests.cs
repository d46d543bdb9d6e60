using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Attacks on the trust chain (TUF-style root rotation), each against the real CLI over loopback HTTP: a target
/// installed from trust root 1 is offered a forged or broken rotation, and refuses it with exit 3, leaving the target
/// exactly as it was (the audit log aside).
/// </summary>
public sealed class TrustChainAttackTests
{
    [Fact]
    public async Task Apply_RotationSignedOnlyByTheNewRootKeys_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var attacker = world.NewKey();
        world.Rotate(2, new ForgedRole(1, attacker), new ForgedRole(1, attacker), signers: [attacker]);
        world.PublishRelease("1.1.0", "evil", attacker);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "signature");
        result.Stderr.Should().Contain("root 1's root role");
        world.CurrentContents().Should().Be("one");
    }

    [Fact]
    public async Task Apply_RotationSignedOnlyByTheOldRootKeys_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var newRoot = world.NewKey();
        world.Rotate(2, new ForgedRole(1, newRoot), new ForgedRole(1, world.Release1), signers: [world.Root1]);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "signature");
        result.Stderr.Should().Contain("its own root role");
    }

    [Fact]
    public async Task Apply_VersionGapInTheChain_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();

        // Served as trust/2.json, signed by every root key involved, but it says it is version 3.
        world.Forger.PublishRoot(2, FeedForger.RootJson(3, DateTimeOffset.UtcNow.AddDays(30), new ForgedRole(1, world.Root1), new ForgedRole(1, world.Release1)), world.Root1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "malformed");
        result.Stderr.Should().Contain("gap");
    }

    [Fact]
    public async Task Apply_VersionRepeatInTheChain_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();

        // Root 1 served again as root 2: a replayed, genuinely signed document.
        File.Copy(world.Forger.FullPath(FeedForger.TrustRootPath(1)), world.Forger.FullPath(FeedForger.TrustRootPath(2)));
        File.Copy(world.Forger.FullPath(FeedForger.TrustRootPath(1)) + ".sig", world.Forger.FullPath(FeedForger.TrustRootPath(2)) + ".sig");

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "malformed");
        result.Stderr.Should().Contain("repeats");
    }

    [Fact]
    public async Task Apply_FeedBehindThePinnedRoot_IsRefusedAsARollbackOfTrust()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var release2 = world.NewKey();
        world.Rotate(2, new ForgedRole(1, world.Root1), new ForgedRole(1, release2), signers: [world.Root1]);
        world.PublishRelease("1.1.0", "two", release2);
        (await world.ApplyAsync(world.InitialTrust)).ShouldExitWith(0);
        (await world.PinnedTrustVersionAsync()).Should().Be(2);
        world.Recapture();

        // A stale mirror: root 2 is gone and the old release key signs a newer release.
        File.Delete(world.Forger.FullPath(FeedForger.TrustRootPath(2)));
        File.Delete(world.Forger.FullPath(FeedForger.TrustRootPath(2)) + ".sig");
        world.PublishRelease("1.2.0", "stale", world.Release1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "downgrade");
        result.Stderr.Should().Contain("rollback of trust");
        (await world.PinnedTrustVersionAsync()).Should().Be(2, "the pinned root only moves forward");
    }

    [Fact]
    public async Task Apply_FeedServingAnotherRootUnderThePinnedNumber_IsRefused()
    {
        await using var world = await TrustChainWorld.CreateAsync();

        // Root 1 re-written (a fork): valid on its own, signed by the same root key, but not the root the target pinned.
        world.Forger.PublishRoot(1, FeedForger.RootJson(1, DateTimeOffset.UtcNow.AddDays(400), new ForgedRole(1, world.Root1), new ForgedRole(1, world.Release1)), world.Root1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "downgrade");
    }

    [Fact]
    public async Task Apply_NewestRootExpired_StopsUpdatesAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        world.Rotate(2, new ForgedRole(1, world.Root1), new ForgedRole(1, world.Release1), signers: [world.Root1], expires: DateTimeOffset.UtcNow.AddMinutes(-1));
        world.PublishRelease("1.1.0", "two", world.Release1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "expired");
        result.Stderr.Should().Contain("Trust root 2");
    }

    [Fact]
    public async Task Apply_ReleaseSignedOnlyByARevokedKey_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var release2 = world.NewKey();

        // Release1 leaked: root 2 removes it from the release role.
        world.Rotate(2, new ForgedRole(1, world.Root1), new ForgedRole(1, release2), signers: [world.Root1]);
        world.PublishRelease("1.1.0", "evil", world.Release1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "signature");
        world.CurrentContents().Should().Be("one");
    }

    [Fact]
    public async Task Apply_NewReleaseSignedByAVerifyOnlyKey_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var release2 = world.NewKey();

        // Release1 retired: it still verifies what is installed, but signs nothing new.
        world.Rotate(2, new ForgedRole(1, world.Root1), new ForgedRole(1, release2), signers: [world.Root1], verifyOnly: [world.Release1]);
        world.PublishRelease("1.1.0", "two", world.Release1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "signature");
        var verify = await CliRunner.RunAsync("verify", "--target", world.Target, "--trust", world.InitialTrust, "--json");
        verify.ShouldExitWith(0).JsonString("version").Should().Be("1.0.0", "the installed version, signed by the retired key, still verifies");
    }

    [Fact]
    public async Task Apply_UnrelatedTrustOnAnInstalledTarget_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var stranger = world.NewKey();
        var strangerTrust = world.Temp.Combine("stranger.pub");
        stranger.WritePublicKeyFile(strangerTrust);

        // Whoever controls the feed signs with their own key and passes it as --trust: the target does not re-provision silently.
        world.PublishRelease("1.1.0", "evil", stranger);

        var result = await world.ApplyAsync(strangerTrust);

        world.ShouldBeRefused(result, "trust_mismatch");
        result.Stderr.Should().Contain("--replace-trust");
        world.CurrentContents().Should().Be("one");
    }

    [Fact]
    public async Task Apply_ChainOf1001Rotations_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        for (var version = 2; version <= 1002; version++)
        {
            world.Rotate(version, new ForgedRole(1, world.Root1), new ForgedRole(1, world.Release1), signers: [world.Root1]);
        }

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "too_large");
        result.Stderr.Should().Contain("1000 rotations");
    }

    [Fact]
    public async Task Apply_OversizeTrustRootDocument_IsRefusedAndTargetUnchanged()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var text = FeedForger.RootJson(2, DateTimeOffset.UtcNow.AddDays(30), new ForgedRole(1, world.Root1), new ForgedRole(1, world.Release1));
        var padded = text.TrimEnd().TrimEnd('}') + ", \"padding\": \"" + new string('x', 64 * 1024) + "\"}\n";
        Encoding.UTF8.GetByteCount(padded).Should().BeGreaterThan(64 * 1024, "the forged root is just over the cap");
        world.Forger.PublishRoot(2, padded, world.Root1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "too_large");
    }

    [Fact]
    public async Task Apply_RotationWhoseNewThresholdIsMetOnlyByDuplicateSignatures_IsRefused()
    {
        await using var world = await TrustChainWorld.CreateAsync();
        var root2 = world.NewKey();

        // The new root needs two of {Root1, root2}; Root1 signing twice is still one key.
        world.Rotate(2, new ForgedRole(2, world.Root1, root2), new ForgedRole(1, world.Release1), signers: [world.Root1, world.Root1]);
        world.PublishRelease("1.1.0", "two", world.Release1);

        var result = await world.ApplyAsync(world.InitialTrust);

        world.ShouldBeRefused(result, "signature");
        result.Stderr.Should().Contain("1 of the 2 required");
    }
}
