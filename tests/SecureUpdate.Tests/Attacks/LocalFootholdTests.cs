using System.Runtime.Versioning;
using FluentAssertions.Execution;
using SecureUpdate.Tests.Companion;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// A local foothold in the target: a version folder or an entry of the state folder replaced by a symlink to
/// something outside, a lock that is not a file, or a target that others can write. Every command refuses (exit 2,
/// "unsafe target"), never reads, writes or creates anything through the symlink, and leaves the target as it was.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LocalFootholdTests
{
    private const uint OtherUser = 12345;

    private static readonly string[] s_commands = ["apply", "verify", "rollback", "swap", "status", "events"];

    [Fact]
    public async Task Swap_StagedVersionFolderSymlinkedToIdenticalCopyOutside_RefusesAndCurrentUnchanged()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var outside = ReplaceWithSymlinkToCopy(scenario, ReleaseInputs.V2);
        var target = TargetSnapshot.Capture(scenario.Target);
        var outsideBefore = TargetSnapshot.Capture(outside);

        var result = await scenario.SwapAsync();

        ShouldRefuseUnsafe(result, "is a symbolic link");
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1, "current never moves to a folder outside the target");
        TargetSnapshot.Difference(target, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty(result.Describe());
        TargetSnapshot.Difference(outsideBefore, TargetSnapshot.Capture(outside)).Should().BeEmpty("the outside copy is never touched");
    }

    [Fact]
    public async Task Rollback_EarlierVersionFolderSymlinkedToIdenticalCopyOutside_RefusesAndCurrentUnchanged()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        var outside = ReplaceWithSymlinkToCopy(scenario, ReleaseInputs.V1);
        var target = TargetSnapshot.Capture(scenario.Target);
        var outsideBefore = TargetSnapshot.Capture(outside);

        var result = await scenario.RollbackAsync();

        ShouldRefuseUnsafe(result, "is a symbolic link");
        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V2, "current never moves to a folder outside the target");
        TargetSnapshot.Difference(target, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty(result.Describe());
        TargetSnapshot.Difference(outsideBefore, TargetSnapshot.Capture(outside)).Should().BeEmpty("the outside copy is never touched");
    }

    [Fact]
    public async Task Verify_CurrentVersionFolderSymlinkedToIdenticalCopyOutside_RefusesAndNeverReadsIt()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var outside = ReplaceWithSymlinkToCopy(scenario, ReleaseInputs.V1);
        var target = TargetSnapshot.Capture(scenario.Target);

        var result = await scenario.VerifyAsync();

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        TargetSnapshot.Difference(target, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty(result.Describe());
        Directory.Exists(outside).Should().BeTrue();
    }

    [Theory]
    [InlineData(".secure-update/events.log", "file")]
    [InlineData(".secure-update/lock", "dangling")]
    [InlineData(".secure-update/state.json", "file")]
    [InlineData(".secure-update/manifests", "folder")]
    [InlineData(".secure-update/roots", "folder")]
    [InlineData(".secure-update", "folder")]
    [InlineData("versions", "folder")]
    public async Task Commands_StateEntrySymlinkedOutside_RefuseWithExit2AndNeverUseIt(string entry, string pointsAt)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var link = Path.Combine(scenario.Target, entry);
        var outside = scenario.Temp.Combine("outside-" + Path.GetFileName(entry));
        switch (pointsAt)
        {
            case "file":
                File.Copy(link, outside);
                File.Delete(link);
                break;
            case "folder":
                DirectoryCopy.Copy(link, outside);
                Directory.Delete(link, recursive: true);
                break;
            case "dangling":
                File.Delete(link);
                break;
        }

        File.CreateSymbolicLink(link, outside);
        var target = TargetSnapshot.Capture(scenario.Target);
        var outsideBefore = pointsAt == "dangling" ? null : TargetSnapshot.Capture(Path.GetDirectoryName(outside)!);
        var outsideBytes = pointsAt == "file" ? File.ReadAllBytes(outside) : null;

        using (new AssertionScope())
        {
            foreach (var command in s_commands)
            {
                var result = await RunAsync(scenario, command);

                ShouldRefuseUnsafe(result, "is a symbolic link");
                new FileInfo(link).LinkTarget.Should().Be(outside, "{0} leaves the symlink as it was", command);
                TargetSnapshot.Difference(target, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty("{0} must leave the target as it was", command);
                if (pointsAt == "dangling")
                {
                    Path.Exists(outside).Should().BeFalse("{0} must never create a file through a dangling symlink", command);
                }
                else
                {
                    TargetSnapshot.Difference(outsideBefore!, TargetSnapshot.Capture(Path.GetDirectoryName(outside)!)).Should().BeEmpty("{0} must never change what the symlink points at (modes included)", command);
                }

                if (outsideBytes is not null)
                {
                    File.ReadAllBytes(outside).Should().Equal(outsideBytes, "{0} writes nothing through the symlink", command);
                }
            }
        }
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("fifo")]
    public async Task Commands_LockIsNotARegularFile_RefuseWithExit2(string kind)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var lockPath = Path.Combine(scenario.Target, ".secure-update", "lock");
        File.Delete(lockPath);
        if (kind == "folder")
        {
            Directory.CreateDirectory(lockPath);
        }
        else
        {
            UnixFiles.MakeNamedPipe(lockPath);
        }

        var target = TargetSnapshot.Capture(scenario.Target);

        using (new AssertionScope())
        {
            foreach (var command in new[] { "apply", "verify", "rollback", "swap" })
            {
                var result = await RunAsync(scenario, command);

                ShouldRefuseUnsafe(result, kind == "folder" ? "is a folder" : "is a named pipe (FIFO)");
                TargetSnapshot.Difference(target, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty("{0} must leave the target as it was", command);
            }
        }
    }

    [Theory]
    [InlineData("", "mode-0777", "writable by group or others")]
    [InlineData("versions", "mode-0777", "writable by group or others")]
    [InlineData(".secure-update", "mode-0777", "writable by group or others")]
    [InlineData(".secure-update/state.json", "mode-0666", "writable by group or others")]
    [InlineData("", "other-owner", "owned by another user (uid 12345")]
    [InlineData(".secure-update", "other-owner", "owned by another user (uid 12345")]
    [InlineData("versions", "other-owner", "owned by another user (uid 12345")]
    public async Task Commands_InstalledTargetOthersCanChange_RefuseWithExit2(string entry, string change, string problem)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var path = Path.Combine(scenario.Target, entry).TrimEnd('/');
        Loosen(path, change);
        var target = TargetSnapshot.Capture(scenario.Target);

        using (new AssertionScope())
        {
            foreach (var command in s_commands)
            {
                var result = await RunAsync(scenario, command);

                ShouldRefuseUnsafe(result, problem);
                TargetSnapshot.Difference(target, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty("{0} must leave the target as it was", command);
            }
        }
    }

    [Theory]
    [InlineData("mode-0777", "writable by group or others")]
    [InlineData("other-owner", "owned by another user (uid 12345")]
    public async Task Apply_FirstInstallIntoFolderOthersCanChange_RefusesAndCreatesNothing(string change, string problem)
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        Directory.CreateDirectory(scenario.Target);
        Loosen(scenario.Target, change);

        var result = await scenario.ApplyFromFolderAsync("--app", ReleaseInputs.App);

        ShouldRefuseUnsafe(result, problem);
        Directory.EnumerateFileSystemEntries(scenario.Target).Should().BeEmpty("nothing is created in a folder others can change");
    }

    private static void Loosen(string path, string change)
    {
        if (change == "other-owner")
        {
            UnixFiles.ChangeOwner(path, OtherUser);
        }
        else
        {
            File.SetUnixFileMode(path, change == "mode-0777" ? (UnixFileMode)0b111_111_111 : (UnixFileMode)0b110_110_110);
        }
    }

    /// <summary>Replaces <c>versions/VERSION</c> by a symlink to an identical copy outside the target; returns the copy.</summary>
    private static string ReplaceWithSymlinkToCopy(CompanionScenario scenario, string version)
    {
        var folder = Path.Combine(scenario.Target, "versions", version);
        var outside = scenario.Temp.Combine("outside-" + version);
        DirectoryCopy.Copy(folder, outside);
        Directory.Delete(folder, recursive: true);
        Directory.CreateSymbolicLink(folder, outside);
        return outside;
    }

    private static Task<CliResult> RunAsync(CompanionScenario scenario, string command) => command switch
    {
        "status" => CliRunner.RunAsync("status", "--target", scenario.Target, "--json"),
        "events" => CliRunner.RunAsync("events", "--target", scenario.Target, "--json"),
        _ => scenario.RunAsync(command),
    };

    private static void ShouldRefuseUnsafe(CliResult result, string problem)
    {
        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("Unsafe target:").And.Contain(problem, result.Describe());
    }
}
