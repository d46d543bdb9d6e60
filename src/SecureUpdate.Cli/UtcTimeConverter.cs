using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureUpdate.Cli;

/// <summary>Writes times in command output as UTC ending in <c>Z</c> (<c>2026-12-30T13:29:11Z</c>), as the documents and docs write them.</summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);

        // Fractions only when there are any: whole seconds print as ...:11Z.
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }
}
