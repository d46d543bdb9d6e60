using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Key ceremonies end to end with the real CLI (keys/README.md): publish trust root 1, rotate release and root keys,
/// retire then remove a key, sign a k-of-n release on separate machines. Targets follow every rotation on their next
/// apply, from the root they were first given.
/// </summary>
public sealed class TrustRotationTests
{
    [Fact]
    public async Task RotateReleaseKey_NewRootPublished_TargetFollowsAndTheOldKeySignsNothingNew()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var root = desk.Key("root");
        var oldRelease = desk.Key("release-2026");
        var newRelease = desk.Key("release-2027");
        await desk.PublishRootAsync("root-1", ["--root-key", root + ".pub", "--release-key", oldRelease + ".pub"], root);
        (await desk.ReleaseAsync("1.0.0", "one", oldRelease)).ShouldExitWith(0);
        var initial = Path.Combine(desk.Feed, "trust", "1.json");
        (await desk.ApplyAsync(initial)).ShouldExitWith(0);

        await desk.PublishRootAsync("root-2", ["--feed", desk.Feed, "--root-key", root + ".pub", "--release-key", newRelease + ".pub"], root);
        var feedBefore = TargetSnapshot.Capture(desk.Feed);
        var refused = await desk.ReleaseAsync("1.1.0", "two", oldRelease);
        var pointerAfterRefusal = desk.FeedChannel();
        feedBefore.ShouldBeUnchanged("the refused release changed nothing in the feed");
        (await desk.ReleaseAsync("1.1.0", "two", newRelease)).ShouldExitWith(0);
        var applied = await desk.ApplyAsync(initial);

        refused.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("signature");
        refused.Stderr.Should().Contain("not a signing key of the release role");
        pointerAfterRefusal.Should().Contain("\"1.0.0\"", "the refused release changed nothing in the feed");
        applied.ShouldExitWith(0).JsonString("outcome").Should().Be("updated");
        desk.CurrentContents().Should().Be("two");
        var status = await TrustCeremony.RunAsync("status", "--target", desk.Target);
        status.Json().GetProperty("trustVersion").GetInt32().Should().Be(2);
        var events = await CliRunner.RunAsync("events", "--target", desk.Target);
        events.Stdout.Should().Contain("trust-updated").And.Contain("trust root rotated from 1 to 2");
        var shown = await TrustCeremony.RunAsync("trust", "show", "--target", desk.Target);
        shown.Json().GetProperty("trust").GetProperty("release").GetProperty("keyIds").EnumerateArray()
            .Should().ContainSingle().Which.GetString().Should().Be(TrustCeremony.KeyId(newRelease), "the pinned root is root 2, with the new release key");
    }

    [Fact]
    public async Task RotateRootKeys_TwoOfThreeToThreeOfFive_NeedsBothThresholdsFromSeparateSigners()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var roots = Enumerable.Range(1, 5).Select(i => desk.Key($"root{i}")).ToArray();
        var release = desk.Key("release");
        string[] OldRoots() => roots.Take(3).SelectMany(r => new[] { "--root-key", r + ".pub" }).ToArray();
        string[] NewRoots() => roots.SelectMany(r => new[] { "--root-key", r + ".pub" }).ToArray();
        await desk.PublishRootAsync("root-1", [.. OldRoots(), "--root-threshold", "2", "--release-key", release + ".pub"], roots[0], roots[1]);
        (await desk.ReleaseAsync("1.0.0", "one", release)).ShouldExitWith(0);
        (await desk.ApplyAsync(Path.Combine(desk.Feed, "trust", "1.json"))).ShouldExitWith(0);

        var second = desk.Temp.Combine("root-2.json");
        (await TrustCeremony.RunAsync(["trust", "init", "--out", second, "--feed", desk.Feed, .. NewRoots(), "--root-threshold", "3", "--release-key", release + ".pub"])).ShouldExitWith(0);
        (await TrustCeremony.RunAsync("sign", "--key", roots[0] + ".key", second)).ShouldExitWith(0);
        (await TrustCeremony.RunAsync("sign", "--key", roots[1] + ".key", second)).ShouldExitWith(0);
        var tooFew = await TrustCeremony.RunAsync("trust", "publish", "--feed", desk.Feed, second);
        (await TrustCeremony.RunAsync("sign", "--key", roots[3] + ".key", second)).ShouldExitWith(0);
        var published = await TrustCeremony.RunAsync("trust", "publish", "--feed", desk.Feed, second);
        (await desk.ReleaseAsync("1.1.0", "two", release)).ShouldExitWith(0);
        var applied = await desk.ApplyAsync(Path.Combine(desk.Feed, "trust", "1.json"));

        tooFew.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("signature");
        tooFew.Stderr.Should().Contain("2 of the 3 required", "two old root keys meet root 1's threshold but not the new root's own");
        published.ShouldExitWith(0).Json().GetProperty("trustVersion").GetInt32().Should().Be(2);
        applied.ShouldExitWith(0).JsonString("version").Should().Be("1.1.0");
        var shown = await TrustCeremony.RunAsync("trust", "show", "--target", desk.Target);
        shown.Json().GetProperty("trust").GetProperty("root").GetProperty("threshold").GetInt32().Should().Be(3);
        shown.Json().GetProperty("trust").GetProperty("root").GetProperty("keyIds").GetArrayLength().Should().Be(5);
    }

    [Fact]
    public async Task RetireThenRemoveAKey_InstalledVersionsVerifyWhileRetiredAndNotOnceRemoved()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var root = desk.Key("root");
        var oldRelease = desk.Key("old");
        var newRelease = desk.Key("new");
        await desk.PublishRootAsync("root-1", ["--root-key", root + ".pub", "--release-key", oldRelease + ".pub"], root);
        (await desk.ReleaseAsync("1.0.0", "one", oldRelease)).ShouldExitWith(0);
        var initial = Path.Combine(desk.Feed, "trust", "1.json");
        (await desk.ApplyAsync(initial)).ShouldExitWith(0);

        // Retire: the old key moves to verify-only.
        await desk.PublishRootAsync("root-2", ["--feed", desk.Feed, "--root-key", root + ".pub", "--release-key", newRelease + ".pub", "--verify-only-key", oldRelease + ".pub"], root);
        (await desk.ReleaseAsync("1.1.0", "two", newRelease)).ShouldExitWith(0);
        (await desk.ApplyAsync(initial)).ShouldExitWith(0);
        var rolledBack = await TrustCeremony.RunAsync("rollback", "--target", desk.Target);

        // Remove: the old key is gone from the root altogether.
        await desk.PublishRootAsync("root-3", ["--feed", desk.Feed, "--root-key", root + ".pub", "--release-key", newRelease + ".pub"], root);
        var walked = await desk.ApplyAsync(initial);
        var verified = await TrustCeremony.RunAsync("verify", "--target", desk.Target, "--trust", initial);

        rolledBack.ShouldExitWith(0).JsonString("version").Should().Be("1.0.0", "a version signed by a retired key still verifies");
        desk.CurrentContents().Should().Be("one");
        walked.ShouldExitWith(0).JsonString("outcome").Should().Be("current", "1.1.0 was rolled back from and is not installed again");
        verified.ShouldExitWith(7).ShouldReportFailureClearly().ShouldHaveErrorCode("not_installed");
        verified.Stderr.Should().Contain("not signed by enough trusted keys", "once removed, the old key verifies nothing");
    }

    [Fact]
    public async Task DraftRelease_SignedOnSeparateMachines_IsPublishedOnlyOnceTheThresholdIsMet()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var root = desk.Key("root");
        var alice = desk.Key("alice");
        var bob = desk.Key("bob");
        await desk.PublishRootAsync("root-1", ["--root-key", root + ".pub", "--release-key", alice + ".pub", "--release-key", bob + ".pub", "--release-threshold", "2"], root);
        var draft = desk.Temp.Combine("draft");
        File.WriteAllText(Path.Combine(desk.Input, "app.txt"), "one");

        var alone = await desk.ReleaseAsync("1.0.0", "one", alice);
        var drafted = await TrustCeremony.RunAsync("release", "--feed", desk.Feed, "--app", TrustCeremony.App, "--version", "1.0.0", "--input", desk.Input, "--draft", draft);
        var manifest = Path.Combine(draft, TrustCeremony.App, "stable", "manifests", "1.0.0.json");
        var pointer = Path.Combine(draft, TrustCeremony.App, "stable", "channel.json");
        (await TrustCeremony.RunAsync("sign", "--key", alice + ".key", manifest)).ShouldExitWith(0);
        (await TrustCeremony.RunAsync("sign", "--key", alice + ".key", pointer)).ShouldExitWith(0);
        var halfSigned = await TrustCeremony.RunAsync("publish", "--feed", desk.Feed, "--draft", draft);
        var channelAfterHalf = File.Exists(Path.Combine(desk.Feed, TrustCeremony.App, "stable", "channel.json"));
        (await TrustCeremony.RunAsync("sign", "--key", bob + ".key", manifest)).ShouldExitWith(0);
        (await TrustCeremony.RunAsync("sign", "--key", bob + ".key", pointer)).ShouldExitWith(0);
        var published = await TrustCeremony.RunAsync("publish", "--feed", desk.Feed, "--draft", draft);
        var applied = await desk.ApplyAsync(Path.Combine(desk.Feed, "trust", "1.json"));

        alone.ShouldExitWith(3).ShouldHaveErrorCode("signature");
        drafted.ShouldExitWith(0);
        halfSigned.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("signature");
        channelAfterHalf.Should().BeFalse("nothing is published before the threshold is met");
        published.ShouldExitWith(0).JsonString("version").Should().Be("1.0.0");
        applied.ShouldExitWith(0).JsonString("outcome").Should().Be("installed");
        desk.CurrentContents().Should().Be("one");
        File.Exists(pointer).Should().BeFalse("the draft moved into the feed");
    }

    [Fact]
    public async Task Sign_TheSameKeyTwiceOrADocumentChangedAfterSigning_IsRefused()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var root = desk.Key("root");
        var document = desk.Temp.Combine("root-1.json");
        (await TrustCeremony.RunAsync("trust", "init", "--out", document, "--root-key", root + ".pub", "--release-key", root + ".pub")).ShouldExitWith(0);
        (await TrustCeremony.RunAsync("sign", "--key", root + ".key", document)).ShouldExitWith(0);
        var signatures = File.ReadAllText(document + ".sig");

        var twice = await TrustCeremony.RunAsync("sign", "--key", root + ".key", document);
        File.AppendAllText(document, " ");
        var changed = await TrustCeremony.RunAsync("sign", "--key", desk.Key("other") + ".key", document);

        twice.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        twice.Stderr.Should().Contain("has already signed");
        changed.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("signature");
        File.ReadAllText(document + ".sig").Should().Be(signatures, "a refused signature changes nothing");
    }

    [Fact]
    public async Task TrustInit_ThresholdAboveTheKeysOrAnExistingFile_IsAUsageError()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var root = desk.Key("root");
        var document = desk.Temp.Combine("root-1.json");

        var tooHigh = await TrustCeremony.RunAsync("trust", "init", "--out", document, "--root-key", root + ".pub", "--root-threshold", "2", "--release-key", root + ".pub");
        (await TrustCeremony.RunAsync("trust", "init", "--out", document, "--root-key", root + ".pub", "--release-key", root + ".pub")).ShouldExitWith(0);
        var again = await TrustCeremony.RunAsync("trust", "init", "--out", document, "--root-key", root + ".pub", "--release-key", root + ".pub");

        tooHigh.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("usage");
        again.ShouldExitWith(2).ShouldReportFailureClearly();
        again.Stderr.Should().Contain("exists already");
    }

    [Fact]
    public async Task ReleaseSide_UnwritableOrUnsignedFiles_ExitWithAClearMessageAndWriteNothing()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var root = desk.Key("root");
        var folderInTheWay = desk.Temp.CreateFolder("in-the-way");
        var fileInTheWay = desk.Temp.Combine("file");
        File.WriteAllText(fileInTheWay, "not a folder");
        var document = desk.Temp.Combine("root-1.json");
        (await TrustCeremony.RunAsync("trust", "init", "--out", document, "--root-key", root + ".pub", "--release-key", root + ".pub")).ShouldExitWith(0);

        var initOverFolder = await TrustCeremony.RunAsync("trust", "init", "--out", folderInTheWay, "--root-key", root + ".pub", "--release-key", root + ".pub");
        var keygenIntoFile = await TrustCeremony.RunAsync("keygen", "--out", fileInTheWay);
        var unsigned = await TrustCeremony.RunAsync("trust", "publish", "--feed", desk.Feed, document);
        Directory.CreateDirectory(document + ".sig");
        var signOverFolder = await TrustCeremony.RunAsync("sign", "--key", root + ".key", document);

        initOverFolder.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        initOverFolder.Stderr.Should().Contain("Cannot write");
        keygenIntoFile.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        File.ReadAllText(fileInTheWay).Should().Be("not a folder");
        unsigned.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("signature");
        unsigned.Stderr.Should().Contain("is not signed").And.Contain("root-1.json.sig");
        Directory.Exists(Path.Combine(desk.Feed, "trust")).Should().BeFalse("an unsigned root is not published");
        signOverFolder.ShouldExitWith(2).ShouldReportFailureClearly();
        Directory.EnumerateFileSystemEntries(document + ".sig").Should().BeEmpty();
    }

    [Fact]
    public async Task EncryptedKeys_SignATrustRootAndARelease()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var passphrase = new Dictionary<string, string?> { ["SECURE_UPDATE_KEY_PASSPHRASE"] = "a long ceremony passphrase" };
        var keys = desk.Temp.Combine("sealed");
        (await CliRunner.RunAsync(passphrase, "keygen", "--out", keys, "--name", "root", "--encrypt")).ShouldExitWith(0);
        (await CliRunner.RunAsync(passphrase, "keygen", "--out", keys, "--name", "release", "--encrypt")).ShouldExitWith(0);
        var document = desk.Temp.Combine("root-1.json");
        (await TrustCeremony.RunAsync("trust", "init", "--out", document, "--root-key", Path.Combine(keys, "root.pub"), "--release-key", Path.Combine(keys, "release.pub"))).ShouldExitWith(0);

        var signed = await CliRunner.RunAsync(passphrase, "sign", "--key", Path.Combine(keys, "root.key"), document, "--json");
        (await TrustCeremony.RunAsync("trust", "publish", "--feed", desk.Feed, document)).ShouldExitWith(0);
        File.WriteAllText(Path.Combine(desk.Input, "app.txt"), "sealed");
        var released = await CliRunner.RunAsync(passphrase, "release", "--feed", desk.Feed, "--app", TrustCeremony.App, "--version", "1.0.0", "--input", desk.Input, "--key", Path.Combine(keys, "release.key"));
        var applied = await desk.ApplyAsync(Path.Combine(desk.Feed, "trust", "1.json"));

        signed.ShouldExitWith(0).JsonString("kind").Should().Be("trust root");
        released.ShouldExitWith(0);
        applied.ShouldExitWith(0);
        desk.CurrentContents().Should().Be("sealed");
    }
}
