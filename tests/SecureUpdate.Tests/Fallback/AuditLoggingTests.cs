using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Fallback;

/// <summary>Every audit event is also logged through <see cref="ILogger"/>: id 300 (information) or 301 (warning, with the error code).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AuditLoggingTests : IDisposable
{
    private readonly FallbackWorld _world = new();
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose()
    {
        _world.Dispose();
        _logs.Dispose();
    }

    private IEnumerable<CapturedLogEntry> AuditEntries => _logs.Entries.Where(e => e.EventId.Id is 300 or 301);

    [Fact]
    public async Task Install_LogsEvent300WithTheEventName()
    {
        var client = _world.CreateClient(FallbackMode.HardReset, logging: _logs);
        await _world.PublishAsync("1.0.0", "one");

        await _world.ApplyAsync(client);

        var entry = AuditEntries.Should().ContainSingle().Which;
        entry.EventId.Id.Should().Be(300);
        entry.Level.Should().Be(LogLevel.Information);
        entry.EventName.Should().Be("installed");
        entry.Value("Version").Should().Be("1.0.0");
        entry.Value("FallbackMode").Should().Be("none");
        entry.Value("Target").Should().Be(_world.Target);
        entry.Message.Should().Contain("installed").And.Contain("1.0.0");
    }

    [Fact]
    public async Task AuditLogEntry_CarriesTheEventNameUnderTheTemplatesKey()
    {
        var client = _world.CreateClient(FallbackMode.HardReset, logging: _logs);
        await _world.PublishAsync("1.0.0", "one");

        await _world.ApplyAsync(client);

        // Structured-log consumers find each value under its template name ({EventName}, {Stage}, ...);
        // a key spelled after the C# parameter ("@event") would be missed, and '@' means "destructure" to some sinks.
        var entry = AuditEntries.Should().ContainSingle().Which;
        entry.Values.Keys.Should().Contain(["EventName", "Stage", "FallbackMode", "Version", "Detail", "Target"]);
        entry.Values.Keys.Should().NotContain(key => key.StartsWith('@'));
        entry.Value("EventName").Should().Be("installed");
    }

    [Fact]
    public async Task RefusedApply_LogsEvent301AtWarningWithTheErrorCode()
    {
        var client = _world.CreateClient(FallbackMode.HardReset, logging: _logs);
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(client);
        await _world.PublishAsync("1.1.0", "two");
        File.WriteAllText(_world.FeedBlob("two"), "tw0");

        var apply = () => _world.ApplyAsync(client);

        await apply.Should().ThrowAsync<VerificationException>();
        var entry = AuditEntries.Should().ContainSingle(e => e.EventId.Id == 301).Which;
        entry.Level.Should().Be(LogLevel.Warning);
        entry.EventName.Should().Be("refused");
        entry.Value("ErrorCode").Should().Be("hash_mismatch");
        entry.Value("FallbackMode").Should().Be("hard_reset");
        entry.Message.Should().Contain("refused").And.Contain("hash_mismatch");
    }

    [Fact]
    public async Task AllowlistedApply_LogsTheWaiversAsWarnings()
    {
        var client = _world.CreateClient(FallbackMode.HashAllowlist, _world.AllowlistPath, _logs);
        var rogue = await _world.PublishAsync("1.0.0", "one", rogue: true);
        _world.AllowManifest(rogue.ManifestSha256);

        await _world.ApplyAsync(client);

        var waivers = AuditEntries.Where(e => e.EventName == "allowlisted").ToList();
        waivers.Should().HaveCount(2);
        waivers.Should().OnlyContain(e => e.EventId.Id == 301 && e.Level == LogLevel.Warning && e.Value("ErrorCode") == "signature" && e.Value("FallbackMode") == "hash_allowlist");
    }

    [Fact]
    public async Task EveryEventsLogLine_HasAMatchingLogEntry()
    {
        var allowlistClient = _world.CreateClient(FallbackMode.HashAllowlist, _world.AllowlistPath, _logs);
        var hardReset = _world.CreateClient(FallbackMode.HardReset, logging: _logs);
        await _world.PublishAsync("1.0.0", "one");
        await _world.ApplyAsync(hardReset);
        var rogue = await _world.PublishAsync("1.1.0", "two", rogue: true);
        _world.AllowManifest(rogue.ManifestSha256);
        await _world.ApplyAsync(allowlistClient);
        await _world.PublishAsync("1.2.0", "three");
        File.WriteAllText(_world.FeedBlob("three"), "thr3e");
        await ((Func<Task>)(() => _world.ApplyAsync(hardReset))).Should().ThrowAsync<VerificationException>();
        await ((Func<Task>)(() => hardReset.VerifyAsync(_world.Folder, _world.Workspace.Trust))).Should().ThrowAsync<VerificationException>();

        var events = _world.Events();
        var entries = AuditEntries.ToList();

        events.Select(e => e.Name).Should().Equal("installed", "allowlisted", "allowlisted", "installed", "refused", "verify-failed", "reset");
        entries.Should().HaveCount(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var expected = events[i];
            var entry = entries[i];
            entry.EventName.Should().Be(expected.Name, "log entry {0} matches events.log line {0}", i + 1);
            entry.Value("Stage")!.ToLowerInvariant().Should().Be(expected.Stage);
            entry.Value("Version").Should().Be(expected.Version);
            entry.Value("Detail").Should().Be(expected.Detail);
            entry.Value("FallbackMode").Should().Be(expected.FallbackMode);
            entry.Value("ErrorCode").Should().Be(expected.ErrorName);
            entry.EventId.Id.Should().Be(expected.ErrorCode is null ? 300 : 301);
            entry.Level.Should().Be(expected.ErrorCode is null ? LogLevel.Information : LogLevel.Warning);
        }
    }
}
