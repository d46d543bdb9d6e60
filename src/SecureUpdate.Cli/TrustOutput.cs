using System.Text.Json.Serialization;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli;

/// <summary>A trust root as <c>trust show --json</c> prints it. Names are part of the contract.</summary>
internal sealed class TrustOutput
{
    [JsonPropertyName("version")]
    public required int Version { get; init; }

    [JsonPropertyName("expires")]
    public DateTimeOffset? Expires { get; init; }

    [JsonPropertyName("root")]
    public required RoleOutput Root { get; init; }

    [JsonPropertyName("release")]
    public required RoleOutput Release { get; init; }

    public static TrustOutput Of(TrustRoot root) => new()
    {
        Version = root.Version,
        Expires = root.Expires,
        Root = RoleOutput.Of(root.RootRole),
        Release = RoleOutput.Of(root.ReleaseRole),
    };

    /// <summary>Lines for people.</summary>
    public IEnumerable<string> Lines() =>
    [
        $"version:  {Version}{(Version == 0 ? " (a .pub or trust/v1 file: a starting root)" : "")}",
        $"expires:  {(Expires is { } e ? e.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "(never)")}",
        $"root:     {Root.Threshold} of {string.Join(", ", Root.KeyIds)}",
        $"release:  {Release.Threshold} of {string.Join(", ", Release.KeyIds)}",
        $"verify-only: {(Release.VerifyOnlyKeyIds.Count == 0 ? "(none)" : string.Join(", ", Release.VerifyOnlyKeyIds))}",
    ];
}
