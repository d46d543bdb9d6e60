using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// The debug prompt opened by an <c>apply</c> with several <c>--feed</c> mirrors runs its own <c>apply</c>
/// with the same mirrors, in the same order, taken from the command line that opened it.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DebugShellMirrorTests
{
    [Fact]
    public async Task Apply_WithMirrorsPermittedAndEveryMirrorTampered_PromptApplyAsksEveryMirrorAgain()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        DebugSwitch.Allow(scenario.Target);
        scenario.Recapture();
        var blob = UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Readme);
        FileMutator.Apply(scenario.FeedPath(blob), FileMutation.Flip);
        var copy = scenario.Temp.Combine("mirror");
        DirectoryCopy.Copy(scenario.Feed, copy);
        await using var mirror = await FeedServer.StartAsync(copy);

        var result = await CliRunner.RunWithInputAsync(
            DebugSwitch.On, "apply\nexit\n",
            "apply", "--feed", scenario.Server.Url, "--feed", mirror.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, "--fallback", "debug-shell");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        result.Stdout.Should().Contain("(apply exited with 3)", result.Describe());
        scenario.Server.RequestCount(blob).Should().Be(2, "each mirror once per apply, and the prompt's apply is the second\n{0}", result.Describe());
        mirror.RequestCount(blob).Should().Be(2, "the prompt's apply has the second mirror too\n{0}", result.Describe());
        scenario.ShouldBeUntouched();
    }
}
