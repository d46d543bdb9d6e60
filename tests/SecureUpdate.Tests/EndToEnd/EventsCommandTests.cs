using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary><c>secure-update events</c> on a real target: lists the audit log; <c>--verify</c> exits 3 once it was tampered with.</summary>
public sealed class EventsCommandTests
{
    [Fact]
    public async Task Events_AfterUpdate_ListsInstallsAndVerifiesIntact()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);

        var listed = await CliRunner.RunAsync("events", "--target", scenario.Target, "--json");
        var verified = await CliRunner.RunAsync("events", "--target", scenario.Target, "--verify");

        listed.ShouldExitWith(0).ShouldHaveNoStackTrace();
        var events = listed.Json().GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("event").GetString(), e.GetProperty("version").GetString())).ToList();
        events.Should().EndWith(("installed", ReleaseInputs.V2));
        listed.Json().GetProperty("chainIntact").GetBoolean().Should().BeTrue();
        verified.ShouldExitWith(0).ShouldHaveNoStackTrace();
    }

    [Theory]
    [InlineData("edited")]
    [InlineData("newest cut")]
    public async Task EventsVerify_LogTampered_ExitsThree(string tampering)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        var log = Path.Combine(scenario.Target, ".secure-update", "events.log");
        var lines = File.ReadAllLines(log);
        lines.Should().NotBeEmpty();
        File.WriteAllLines(log, tampering == "edited"
            ? [.. lines.Take(lines.Length - 1), lines[^1].Replace("switched", "switchex", StringComparison.Ordinal)]
            : lines.Take(lines.Length - 1));

        var result = await CliRunner.RunAsync("events", "--target", scenario.Target, "--verify", "--json");

        result.ShouldExitWith(3).ShouldHaveNoStackTrace();
        result.JsonString("error_code").Should().Be("malformed");
    }
}
