using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Events;

/// <summary>
/// The failure-log format of <c>events.log</c>: every line carries <c>stage</c>, <c>error_code</c> (a stable
/// integer, or null), <c>error_name</c>, <c>fallback_mode</c> (<c>hard_reset</c>, <c>debug_shell</c>,
/// <c>hash_allowlist</c> or <c>none</c>) and <c>version</c>, never left out; logs written before still verify.
/// </summary>
public sealed class AuditLineFormatTests
{
    private static readonly string[] s_fallbackModes = ["hard_reset", "debug_shell", "hash_allowlist", "none"];

    [Fact]
    public void ErrorCodes_HaveTheirDocumentedIntegers()
    {
        // These integers are written to events.log and documented in docs/formats.md: never renumbered.
        var expected = new (ErrorCode Code, int Value, string Name)[]
        {
            (ErrorCode.Internal, 0, "internal"), (ErrorCode.Usage, 1, "usage"), (ErrorCode.Config, 2, "config"),
            (ErrorCode.Signature, 3, "signature"), (ErrorCode.HashMismatch, 4, "hash_mismatch"), (ErrorCode.Expired, 5, "expired"),
            (ErrorCode.Downgrade, 6, "downgrade"), (ErrorCode.WrongApp, 7, "wrong_app"), (ErrorCode.WrongChannel, 8, "wrong_channel"),
            (ErrorCode.UnsafePath, 9, "unsafe_path"), (ErrorCode.TooLarge, 10, "too_large"), (ErrorCode.Malformed, 11, "malformed"),
            (ErrorCode.ManifestMismatch, 12, "manifest_mismatch"), (ErrorCode.Transport, 13, "transport"), (ErrorCode.Timeout, 14, "timeout"),
            (ErrorCode.InstallFailed, 15, "install_failed"), (ErrorCode.HealthCheckFailed, 16, "health_check_failed"),
            (ErrorCode.AppStillRunning, 17, "app_still_running"), (ErrorCode.Locked, 18, "locked"), (ErrorCode.NotInstalled, 19, "not_installed"),
            (ErrorCode.TrustMismatch, 20, "trust_mismatch"),
        };

        Enum.GetValues<ErrorCode>().Should().HaveCount(expected.Length, "a new code needs its row in docs/formats.md and here");
        foreach (var (code, value, name) in expected)
        {
            ((int)code).Should().Be(value, "{0} is written as {1}", code, value);
            ErrorCodeNames.ToName(code).Should().Be(name);
        }
    }

    [Fact]
    public async Task EveryLine_AfterInstallRefusalResetAndRollback_CarriesEveryFieldInTheLogFormat()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        File.AppendAllText(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2, ReleaseInputs.Readme), "tampered");
        (await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--json")).ShouldExitWith(3);
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.2.0", ReleaseInputs.Version2, null, scenario.Template.ReleaseKey);
        var blob = scenario.FeedPath(FeedForger.BlobPath(ReleaseInputs.File(ReleaseInputs.V2, ReleaseInputs.Readme).Sha256));
        File.AppendAllText(blob, "tampered");
        (await scenario.ApplyAsync()).ShouldExitWith(3);

        var lines = File.ReadAllLines(Path.Combine(scenario.Target, ".secure-update", "events.log"));
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

        events.Select(e => e.GetProperty("event").GetString()).Should().Contain(["installed", "verify-failed", "reset", "refused"]);
        foreach (var e in events)
        {
            var line = e.GetRawText();
            foreach (var field in new[] { "time", "event", "stage", "error_code", "error_name", "fallback_mode", "version", "detail", "prev" })
            {
                e.TryGetProperty(field, out _).Should().BeTrue("every line carries {0}: {1}", field, line);
            }

            e.GetProperty("stage").ValueKind.Should().Be(JsonValueKind.String, line);
            s_fallbackModes.Should().Contain(e.GetProperty("fallback_mode").GetString(), line);
            var code = e.GetProperty("error_code");
            var name = e.GetProperty("error_name");
            if (code.ValueKind == JsonValueKind.Null)
            {
                name.ValueKind.Should().Be(JsonValueKind.Null, "no code, no name: {0}", line);
            }
            else
            {
                code.ValueKind.Should().Be(JsonValueKind.Number, line);
                name.GetString().Should().Be(ErrorCodeNames.ToName((ErrorCode)code.GetInt32()), line);
            }
        }

        var failed = events.Single(e => e.GetProperty("event").GetString() == "verify-failed");
        failed.GetProperty("error_code").GetInt32().Should().Be(4);
        failed.GetProperty("error_name").GetString().Should().Be("hash_mismatch");
        failed.GetProperty("fallback_mode").GetString().Should().Be("hard_reset");
        var reset = events.Single(e => e.GetProperty("event").GetString() == "reset");
        reset.GetProperty("error_code").ValueKind.Should().Be(JsonValueKind.Null, "the reset is the fallback's action, not a failure");
        reset.GetProperty("fallback_mode").GetString().Should().Be("hard_reset");
        (await CliRunner.RunAsync("events", "--target", scenario.Target, "--verify")).ShouldExitWith(0);
    }

    [Fact]
    public async Task Events_LogWrittenInTheEarlierFormat_VerifiesAndListsInTheNewFields()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var state = Path.Combine(scenario.Target, ".secure-update");
        var previous = new string('0', 64);
        var log = new StringBuilder();
        string[] oldLines =
        [
            "{\"time\":\"2026-01-01T00:00:00Z\",\"event\":\"installed\",\"stage\":\"install\",\"fallback_mode\":\"none\",\"version\":\"1.0.0\",\"detail\":\"switched from nothing to 1.0.0\",\"prev\":\"PREV\"}",
            "{\"time\":\"2026-01-02T00:00:00Z\",\"event\":\"verify-failed\",\"stage\":\"verify\",\"error_code\":\"hash_mismatch\",\"fallback_mode\":\"hard-reset\",\"version\":\"1.0.0\",\"detail\":\"a file changed\",\"prev\":\"PREV\"}",
        ];
        foreach (var template in oldLines)
        {
            var line = template.Replace("PREV", previous, StringComparison.Ordinal);
            log.Append(line).Append('\n');
            previous = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));
        }

        File.WriteAllText(Path.Combine(state, "events.log"), log.ToString());
        File.WriteAllText(Path.Combine(state, "events.head"), $"{{\"schema\":\"secure-update/events-head/v1\",\"lines\":2,\"lastHash\":\"{previous}\"}}");

        var verified = await CliRunner.RunAsync("events", "--target", scenario.Target, "--verify");
        var listed = await CliRunner.RunAsync("events", "--target", scenario.Target, "--json");

        verified.ShouldExitWith(0).Stdout.Should().Contain("intact: 2 events");
        listed.ShouldExitWith(0);
        var events = listed.Json().GetProperty("events").EnumerateArray().ToList();
        events.Should().HaveCount(2);
        events[0].GetProperty("error_code").ValueKind.Should().Be(JsonValueKind.Null);
        events[0].GetProperty("error_name").ValueKind.Should().Be(JsonValueKind.Null);
        events[1].GetProperty("error_code").GetInt32().Should().Be(4);
        events[1].GetProperty("error_name").GetString().Should().Be("hash_mismatch");
        events[1].GetProperty("fallback_mode").GetString().Should().Be("hard_reset");
    }
}
