using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>Two updaters on one target: the second is refused with exit 6 while the first holds the lock.</summary>
public sealed class ConcurrentApplyTests
{
    [Fact]
    public async Task Apply_WhileAnotherApplyIsDownloading_ExitsLockedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var slowBlob = UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library);
        scenario.Server.ServeSlowDrip(slowBlob);

        using var first = CliRunner.Start(
            "apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target, "--timeout", "12s", "--json");
        try
        {
            (await scenario.Server.WaitForRequestAsync(slowBlob, TimeSpan.FromSeconds(20))).Should().BeTrue(
                "the first apply should reach the slow download (has it exited? {0})", first.HasExited);
            first.HasExited.Should().BeFalse("the first apply is still downloading");

            var second = await scenario.ApplyAsync();

            first.HasExited.Should().BeFalse("the first apply was still running while the second one was refused");
            second.ShouldExitWith(6).ShouldReportFailureClearly().ShouldHaveErrorCode("locked");
        }
        finally
        {
            var firstResult = await first.WaitAsync(CliRunner.DefaultTimeout);
            firstResult.ShouldExitWith(4).ShouldReportFailureClearly();
        }

        // The timed-out first apply left the target as it was and released the lock.
        scenario.ShouldBeUntouched();
        scenario.Server.ClearFault(slowBlob);
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task Apply_AfterAnApplyWasKilledMidDownload_CompletesTheUpdate()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var slowBlob = UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library);
        scenario.Server.ServeSlowDrip(slowBlob);
        using (var killed = CliRunner.Start("apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", scenario.Target))
        {
            (await scenario.Server.WaitForRequestAsync(slowBlob, TimeSpan.FromSeconds(20))).Should().BeTrue("the apply should reach the slow download");
            await Task.Delay(300);
            killed.Kill();
            await killed.WaitAsync(CliRunner.DefaultTimeout);
        }

        TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1, "a killed download never switches current");
        scenario.Server.ClearFault(slowBlob);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(scenario.Target, "versions", ReleaseInputs.V1), ReleaseInputs.Version1);
    }
}
