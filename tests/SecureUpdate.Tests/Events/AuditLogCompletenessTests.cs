using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Events;

/// <summary>
/// Hiding what happened by removing or emptying the audit log, and a log that would exhaust memory: a target with an
/// installed version must have its log, and a line over 64 KiB is damage, reported without reading it into memory.
/// </summary>
public sealed class AuditLogCompletenessTests
{
    [Theory]
    [InlineData("both removed", "events.log and events.head are missing")]
    [InlineData("log emptied, head removed", "events.log is empty and events.head is missing")]
    [InlineData("log removed", "events.log is missing but its head records")]
    [InlineData("log emptied", "events.log is empty but its head records")]
    [InlineData("head removed", "events.head is missing")]
    public async Task EventsVerify_InstalledTargetWithoutItsLog_ExitsThree(string removal, string message)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var state = Path.Combine(scenario.Target, ".secure-update");
        var log = Path.Combine(state, "events.log");
        var head = Path.Combine(state, "events.head");
        switch (removal)
        {
            case "both removed":
                File.Delete(log);
                File.Delete(head);
                break;
            case "log emptied, head removed":
                File.WriteAllText(log, "");
                File.Delete(head);
                break;
            case "log removed":
                File.Delete(log);
                break;
            case "log emptied":
                File.WriteAllText(log, "");
                break;
            case "head removed":
                File.Delete(head);
                break;
        }

        scenario.Recapture();

        var result = await CliRunner.RunAsync("events", "--target", scenario.Target, "--verify", "--json");

        result.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("malformed");
        result.Stderr.Should().Contain("not intact").And.Contain(message);
        scenario.ShouldBeUntouched();
    }

    [Fact]
    public async Task Events_OneLineOfFiftyMegabytes_IsReportedAsDamageWithoutReadingIt()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var log = Path.Combine(scenario.Target, ".secure-update", "events.log");
        using (var stream = new FileStream(log, FileMode.Append))
        {
            // 50 MB without a newline, written at once (the file grows by a hole of zero bytes).
            stream.SetLength(stream.Length + (50L << 20));
        }

        scenario.Recapture();

        var verify = await CliRunner.RunAsync("events", "--target", scenario.Target, "--verify", "--json");
        var listed = await CliRunner.RunAsync("events", "--target", scenario.Target);
        var json = await CliRunner.RunAsync("events", "--target", scenario.Target, "--json");

        verify.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode("malformed");
        verify.Stderr.Should().Contain("line 2 is longer than 64 KiB");
        listed.ShouldExitWith(0).ShouldHaveNoStackTrace();
        listed.Stdout.Should().Contain("installed").And.Contain("The audit log is not intact: line 2 is longer than 64 KiB.");
        json.ShouldExitWith(0).ShouldHaveNoStackTrace();
        json.Json().GetProperty("chainIntact").GetBoolean().Should().BeFalse();
        json.Json().GetProperty("events").GetArrayLength().Should().Be(1, "the one event before the long line is listed");
        scenario.ShouldBeUntouched();
    }
}
