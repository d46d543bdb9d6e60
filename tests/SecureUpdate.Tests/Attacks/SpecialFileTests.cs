using System.Runtime.Versioning;
using SecureUpdate.Tests.Companion;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Tests.SingleFile;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Special files wherever the CLI reads (threat: special files). A named pipe would block <c>open()</c>
/// for ever, a character device such as <c>/dev/zero</c> never ends, a block device is a whole disk and
/// a socket cannot be opened: each is refused before a byte is read, with one clear line naming the path
/// and what it is, and the documented exit code — 2 where the user or the local configuration gave it,
/// 3 where a feed serves it or it sits in an installed or staged version — and the target as it was.
/// A hang fails the test through <see cref="CliRunner"/>'s timeout.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SpecialFileTests
{
    public static TheoryData<string> LocalKinds => new() { SpecialFiles.NamedPipe, SpecialFiles.CharacterDevice, SpecialFiles.Socket };

    public static TheoryData<string> InputKinds => new() { SpecialFiles.NamedPipe, SpecialFiles.CharacterDevice, SpecialFiles.BlockDevice, SpecialFiles.Socket };

    public static TheoryData<string> InstalledKinds => new() { SpecialFiles.NamedPipe, SpecialFiles.CharacterDevice };

    public static TheoryData<string> FeedFiles => new()
    {
        UpdateFeedFiles.Channel,
        UpdateFeedFiles.ChannelSignature,
        UpdateFeedFiles.Manifest,
        UpdateFeedFiles.BlobPrefix + ReleaseInputs.Readme,
    };

    [Theory]
    [MemberData(nameof(LocalKinds))]
    public async Task Apply_TrustIsSpecialFile_IsRefusedWithExit2AndTargetUnchanged(string kind)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var trust = scenario.Temp.Combine("trust.pub");
        using var special = SpecialFiles.Make(trust, kind);
        scenario.TrustFile = trust;

        var result = await scenario.ApplyFromFolderAsync();

        scenario.ShouldBeRefused(result, 2, "config");
        result.StderrLines[0].Should().Contain($"'{trust}' {SpecialFiles.Described(kind)}", result.Describe());
    }

    [Theory]
    [MemberData(nameof(FeedFiles))]
    public async Task ApplyFromFolder_FeedFileIsNamedPipe_IsRefusedAsTamperedAndTargetUnchanged(string file)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var relative = UpdateFeedFiles.Resolve(file);
        using var special = SpecialFiles.Replace(scenario.FeedPath(relative), SpecialFiles.NamedPipe);

        var result = await scenario.ApplyFromFolderAsync();

        scenario.ShouldBeRefused(result, 3, "hash_mismatch");
        result.StderrLines[0].Should().Contain($"'{relative}' in the feed {SpecialFiles.Described(SpecialFiles.NamedPipe)}", result.Describe());
    }

    [Theory]
    [InlineData(SpecialFiles.CharacterDevice)]
    [InlineData(SpecialFiles.Socket)]
    public async Task ApplyFromFolder_BlobIsDeviceOrSocket_IsRefusedAsTamperedAndTargetUnchanged(string kind)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var relative = UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Readme);
        using var special = SpecialFiles.Replace(scenario.FeedPath(relative), kind);

        var result = await scenario.ApplyFromFolderAsync();

        scenario.ShouldBeRefused(result, 3, "hash_mismatch");
        result.StderrLines[0].Should().Contain(SpecialFiles.Described(kind), result.Describe());
    }

    [Theory]
    [MemberData(nameof(InputKinds))]
    public async Task Release_InputHoldsSpecialFile_IsRefusedWithExit2AndNothingPublished(string kind)
    {
        using var temp = new TempFolder();
        using var key = ForgedKey.Create();
        key.WritePrivateKeyFile(temp.Combine("release.key"));
        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        using var special = SpecialFiles.Make(Path.Combine(input, "bin", "special"), kind);
        var feed = temp.Combine("feed");

        var result = await Release(feed, input, temp.Combine("release.key"));

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.StderrLines[0].Should().Contain($"'bin/special' {SpecialFiles.Described(kind)}", result.Describe());
        Directory.Exists(feed).Should().BeFalse("nothing is published from an input that holds a special file\n{0}", result.Describe());
    }

    [Theory]
    [MemberData(nameof(LocalKinds))]
    public async Task Release_KeyIsSpecialFile_IsRefusedWithExit2AndNothingPublished(string kind)
    {
        using var temp = new TempFolder();
        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        var keyFile = temp.Combine("release.key");
        using var special = SpecialFiles.Make(keyFile, kind);
        var feed = temp.Combine("feed");

        var result = await Release(feed, input, keyFile);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.StderrLines[0].Should().Contain($"'{keyFile}' {SpecialFiles.Described(kind)}", result.Describe());
        Directory.Exists(feed).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(InstalledKinds))]
    public async Task Swap_StagedFileReplacedBySpecialFile_RefusedWithExit3AndNothingSwitched(string kind)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        using var special = SpecialFiles.Replace(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2, ReleaseInputs.Readme), kind);
        scenario.Recapture();

        var result = await scenario.SwapAsync();

        scenario.ShouldBeRefused(result, 3, "hash_mismatch");
        result.StderrLines[0].Should().Contain($"'{ReleaseInputs.Readme}' {SpecialFiles.Described(kind)}", result.Describe());

        // The lock was given back: the next command is not refused as locked.
        (await scenario.VerifyAsync()).ShouldExitWith(0);
    }

    [Theory]
    [MemberData(nameof(InstalledKinds))]
    public async Task Verify_CurrentFileReplacedBySpecialFile_FailsAsTamperedAndSwitchesBack(string kind)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        (await scenario.ApplyFromFolderAsync()).ShouldExitWith(0);
        using var special = SpecialFiles.Replace(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2, ReleaseInputs.Readme), kind);

        var result = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--json");

        // Exactly as other tampering: hard-reset goes back to the newest version that verifies.
        result.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("hash_mismatch");
        result.StderrLines[0].Should().Contain($"'{ReleaseInputs.Readme}' {SpecialFiles.Described(kind)}", result.Describe());
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
        (await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile)).ShouldExitWith(0);
    }

    [Fact]
    public async Task Verify_OnlyVersionHoldsNamedPipe_ExitsSevenLikeOtherTampering()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var special = SpecialFiles.Replace(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1, ReleaseInputs.Readme), SpecialFiles.NamedPipe);

        var result = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--json");

        result.ShouldExitWith(7).ShouldReportFailureClearly().ShouldHaveErrorCode("not_installed");
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1, "nothing else verifies, so nothing is switched");
    }

    [Fact]
    public async Task VerifySingleFile_ToolReplacedByNamedPipe_IsRefusedAsUnsafeWithoutHanging()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        using var special = SpecialFiles.Replace(world.Target, SpecialFiles.NamedPipe);

        var result = await world.VerifyAsync();

        // Never opened: the layout check sees the pipe before anything reads the tool.
        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.StderrLines[0].Should().Contain($"Unsafe target: '{world.Target}' is a named pipe (FIFO)", result.Describe());
        (await world.StatusAsync()).ExitCode.Should().NotBe(6, "verify gave the lock back");
    }

    [Theory]
    [MemberData(nameof(InstalledKinds))]
    public async Task RollbackSingleFile_PreviousFileIsSpecialFile_ExitsSevenAndFileUnchanged(string kind)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        using var special = SpecialFiles.Replace(world.PreviousFile(SingleFileTemplate.V1), kind);
        var before = world.Snapshot();

        var rollback = await world.RollbackAsync();

        // As a tampered previous file: it does not verify, so there is nothing to roll back to.
        rollback.ShouldExitWith(7).ShouldReportFailureClearly().ShouldHaveErrorCode("not_installed");
        world.ShouldHold(SingleFileTemplate.V2);
        world.ShouldBeUnchangedSince(before, "a refused rollback switches nothing");
    }

    [Theory]
    [InlineData("state.json")]
    [InlineData("journal.json")]
    [InlineData("events.log")]
    public async Task Status_StateEntryIsNamedPipe_ExitsTwoNamingIt(string file)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var path = Path.Combine(scenario.Target, ".secure-update", file);
        using var special = SpecialFiles.Replace(path, SpecialFiles.NamedPipe);
        scenario.Recapture();

        var result = await CliRunner.RunAsync("status", "--target", scenario.Target, "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.StderrLines[0].Should().Contain($"Unsafe target: '{path}' is a named pipe (FIFO)", result.Describe());
        scenario.ShouldBeUntouched();
    }

    [Theory]
    [InlineData("events")]
    [InlineData("verify")]
    public async Task EventLogIsNamedPipe_IsRefusedBeforeAnythingIsReadOrWritten(string command)
    {
        // verify records a failure as an event: appending to a named pipe would block, with the lock held.
        await using var scenario = await AttackScenario.CreateAsync();
        var log = Path.Combine(scenario.Target, ".secure-update", "events.log");
        using var special = SpecialFiles.Replace(log, SpecialFiles.NamedPipe);
        File.AppendAllText(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1, ReleaseInputs.Readme), "tampered");
        scenario.Recapture();

        var result = command == "verify"
            ? await CliRunner.RunAsync(command, "--target", scenario.Target, "--trust", scenario.TrustFile, "--json")
            : await CliRunner.RunAsync(command, "--target", scenario.Target, "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.StderrLines[0].Should().Contain($"Unsafe target: '{log}' is a named pipe (FIFO)", result.Describe());
        SpecialFiles.FileType(log).Should().Be(0x1000u, "the pipe was neither written nor replaced");
        scenario.ShouldBeUntouched();
    }

    private static Task<CliResult> Release(string feed, string input, string keyFile) =>
        CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", input,
            "--key", keyFile, "--json");
}
