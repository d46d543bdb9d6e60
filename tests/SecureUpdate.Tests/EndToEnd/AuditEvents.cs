using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>Reads a target's audit log the way a user does: through <c>secure-update events --json</c>.</summary>
public static class AuditEvents
{
    /// <summary>Every event of <paramref name="target"/>, oldest first; fails unless the command succeeds and the chain is intact.</summary>
    public static async Task<IReadOnlyList<ListedEvent>> ReadAsync(string target)
    {
        var result = await CliRunner.RunAsync("events", "--target", target, "--json");
        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        var json = result.Json();
        json.GetProperty("chainIntact").GetBoolean().Should().BeTrue("the audit log must stay intact\n{0}", result.Describe());
        return json.GetProperty("events").EnumerateArray().Select(Read).ToList();
    }

    private static ListedEvent Read(JsonElement e) => new(
        e.GetProperty("event").GetString()!,
        e.GetProperty("fallback_mode").GetString()!,
        OptionalString(e, "error_name"),
        OptionalString(e, "version"),
        e.GetProperty("detail").GetString()!);

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
