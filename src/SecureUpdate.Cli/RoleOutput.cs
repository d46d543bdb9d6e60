using System.Text.Json.Serialization;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli;

/// <summary>One role of a trust root in JSON output.</summary>
internal sealed class RoleOutput
{
    [JsonPropertyName("threshold")]
    public required int Threshold { get; init; }

    [JsonPropertyName("keyIds")]
    public required IReadOnlyList<string> KeyIds { get; init; }

    [JsonPropertyName("verifyOnlyKeyIds")]
    public required IReadOnlyList<string> VerifyOnlyKeyIds { get; init; }

    public static RoleOutput Of(TrustRole role) => new() { Threshold = role.Threshold, KeyIds = role.KeyIds, VerifyOnlyKeyIds = role.VerifyOnlyKeyIds };
}
