using System.Runtime.Versioning;
using FluentAssertions.Execution;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// A target on read-only media (a real read-only bind mount): <c>verify</c>, <c>status</c> and <c>events</c> work
/// without the lock and write nothing; every command that would change it says the target is read-only (exit 2)
/// instead of claiming that another command holds it.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ReadOnlyTargetTests
{
    [Fact]
    public async Task ReadingCommands_ReadOnlyTarget_WorkAndChangeNothing()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var before = TargetSnapshot.Capture(scenario.Target);
        CliResult verify, status, events;
        using (TestMount.ReadOnlyBind(scenario.Target))
        {
            verify = await scenario.VerifyAsync();
            status = await CliRunner.RunAsync("status", "--target", scenario.Target, "--json");
            events = await CliRunner.RunAsync("events", "--target", scenario.Target, "--verify", "--json");
        }

        using (new AssertionScope())
        {
            verify.ShouldExitWith(0).ShouldHaveNoStackTrace();
            verify.JsonString("version").Should().Be(ReleaseInputs.V1, verify.Describe());
            status.ShouldExitWith(0).ShouldHaveNoStackTrace();
            status.JsonString("version").Should().Be(ReleaseInputs.V1, status.Describe());
            events.ShouldExitWith(0).ShouldHaveNoStackTrace();
            TargetSnapshot.Difference(before, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task ChangingCommands_ReadOnlyTarget_SayReadOnlyWithExit2()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        var before = TargetSnapshot.Capture(scenario.Target);
        var results = new List<CliResult>();
        using (TestMount.ReadOnlyBind(scenario.Target))
        {
            results.Add(await scenario.ApplyAsync());
            results.Add(await scenario.ApplyAsync("--stage-only"));
            results.Add(await scenario.SwapAsync());
            results.Add(await scenario.RollbackAsync());
        }

        using (new AssertionScope())
        {
            foreach (var result in results)
            {
                result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
                result.Stderr.Should().Contain("is on a read-only file system", result.Describe()).And.NotContain("Another secure-update command");
            }

            TargetSnapshot.Difference(before, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty();
            TargetAssert.CurrentVersion(scenario.Target).Should().Be(ReleaseInputs.V1);
        }
    }

    [Fact]
    public async Task Verify_ReadOnlyTargetWithInterruptedOperation_SaysSoInsteadOfSettling()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        var journal = Path.Combine(scenario.Target, ".secure-update", "journal.json");
        File.WriteAllText(journal, "{}");
        File.SetUnixFileMode(journal, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var before = TargetSnapshot.Capture(scenario.Target);
        CliResult result;
        using (TestMount.ReadOnlyBind(scenario.Target))
        {
            result = await scenario.VerifyAsync();
        }

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("read-only file system").And.Contain("interrupted operation", result.Describe());
        TargetSnapshot.Difference(before, TargetSnapshot.Capture(scenario.Target)).Should().BeEmpty();
    }
}
