using System.Text.Json.Serialization;

namespace SecureUpdate.Cli;

/// <summary>Source-generated JSON for command output (AOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(CommandOutput))]
[JsonSerializable(typeof(AuditEvent))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
