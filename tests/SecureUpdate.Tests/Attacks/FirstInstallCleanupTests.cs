using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>A first install that fails removes exactly what it made (the parent folders too), and never a user's own file.</summary>
public sealed class FirstInstallCleanupTests
{
    [Fact]
    public async Task Apply_FirstInstallFails_RemovesTheParentFoldersItCreated()
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        FileMutator.Apply(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel)), FileMutation.Flip);
        var target = Path.Combine(scenario.Work, "a", "b", "c");

        var result = await CliRunner.RunAsync("apply", "--feed", scenario.Feed, "--trust", scenario.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json");

        result.ShouldExitWith(3).ShouldReportFailureClearly();
        Directory.EnumerateFileSystemEntries(scenario.Work).Should().BeEmpty("the failed first install removes a/b/c and the parents it created\n{0}", result.Describe());
    }

    [Fact]
    public async Task Apply_FirstInstallWhereStateFolderNameIsAUserFile_ExitsTwoAndKeepsTheFile()
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        Directory.CreateDirectory(scenario.Target);
        var userFile = Path.Combine(scenario.Target, ".secure-update");
        File.WriteAllText(userFile, "the user's own notes\n");
        var before = TargetSnapshot.Capture(scenario.Target);

        var result = await scenario.ApplyFromFolderAsync("--app", ReleaseInputs.App);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("Unsafe target:").And.Contain("is a file, not a folder", result.Describe());
        File.ReadAllText(userFile).Should().Be("the user's own notes\n", "a file the install did not make is never deleted");
        TargetSnapshot.Difference(before, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty();
    }
}
