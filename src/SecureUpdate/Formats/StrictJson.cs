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
}
