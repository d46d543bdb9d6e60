using System.Text.Json;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Reads <c>status --json</c>. The contract names the facts (app, channel, current version, installed versions)
/// but not the property names, so the usual spellings are accepted.
/// </summary>
public static class StatusReader
{
    public static string? App(CliResult status) => String(status.Json(), "app");

    public static string? Channel(CliResult status) => String(status.Json(), "channel");

    public static string? Current(CliResult status)
    {
        var json = status.Json();
        foreach (var name in new[] { "current", "currentVersion", "current_version", "version" })
        {
            if (TryGet(json, name, out var value))
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }

                if (value.ValueKind == JsonValueKind.Object && TryGet(value, "version", out var nested))
                {
                    return nested.GetString();
                }
            }
        }

        return null;
    }

    public static IReadOnlyList<string> Installed(CliResult status)
    {
        var json = status.Json();
        foreach (var name in new[] { "installed", "installedVersions", "installed_versions", "versions" })
        {
            if (TryGet(json, name, out var value) && value.ValueKind == JsonValueKind.Array)
            {
                return value.EnumerateArray()
                    .Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetProperty("version").GetString()!)
                    .ToArray();
            }
        }

        throw new InvalidOperationException($"status --json names no installed versions\n{status.Describe()}");
    }

    private static string? String(JsonElement json, string name) =>
        TryGet(json, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryGet(JsonElement json, string name, out JsonElement value)
    {
        foreach (var property in json.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
