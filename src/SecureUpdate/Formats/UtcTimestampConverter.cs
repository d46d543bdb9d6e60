using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureUpdate.Formats;

/// <summary>Writes times as RFC 3339 UTC with a <c>Z</c> and whole seconds (docs/formats.md); reads any RFC 3339 time with an offset.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string WriteFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();

        // RFC 3339 requires an explicit offset: a local, offset-less time would depend on the reader's clock settings.
        if (text is null || (!text.EndsWith('Z') && !text.EndsWith('z') && (text.Length < 6 || text[^6] is not ('+' or '-'))))
        {
            throw new JsonException("A time must be RFC 3339 with 'Z' or an offset.");
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw new JsonException("A time must be RFC 3339 with 'Z' or an offset.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(WriteFormat, CultureInfo.InvariantCulture));
}
