using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecureUpdate.Formats;

/// <summary>Parses and writes documents with <see cref="SecureUpdateJsonContext"/>, mapping every parse failure to one exception type.</summary>
internal static class StrictJson
{
    /// <summary>Parses <paramref name="utf8"/>; throws <see cref="FormatException"/> for anything that is not exactly a valid document.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, typeInfo) ?? throw new FormatException("the document is null");
        }
        catch (JsonException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <summary>Writes <paramref name="value"/> on one line, without a final newline (for JSON-lines logs).</summary>
    public static byte[] WriteCompact<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="value"/> as indented UTF-8 with a final newline.</summary>
    public static byte[] Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var result = new byte[bytes.Length + 1];
        bytes.CopyTo(result, 0);
        result[^1] = (byte)'\n';
        return result;
    }

    /// <summary>
    /// The value of the top-level <c>schema</c> member, or null when there is none (or the document is
    /// not an object). Only the schema is read, so a caller can pick the strict type to parse with.
    /// </summary>
    /// <exception cref="FormatException">It is not JSON.</exception>
    public static string? ReadSchema(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSchema = reader.ValueTextEquals("schema"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isSchema)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException ex)
        {
            throw new FormatException("it is not JSON", ex);
        }
        catch (InvalidOperationException ex)
        {
            // GetString refuses a string that is not valid UTF-8.
            throw new FormatException("it is not valid UTF-8 JSON", ex);
        }
    }
}
