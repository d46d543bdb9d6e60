using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;

namespace SecureUpdate.Tests.Fallback;

/// <summary>Writes hash allowlists (<c>secure-update/allowlist/v1</c>) as an operator would, with an exact mode.</summary>
[UnsupportedOSPlatform("windows")]
internal static class AllowlistFile
{
    public const string Schema = "secure-update/allowlist/v1";

    /// <summary>rw------- : what an operator should use.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>One entry of an allowlist.</summary>
    public static string Entry(string manifestSha256, DateTimeOffset expires, string? note = null)
    {
        var buffer = new StringBuilder();
        buffer.Append("{\"manifestSha256\":").Append(JsonSerializer.Serialize(manifestSha256))
            .Append(",\"expires\":\"").Append(Format(expires)).Append('"');
        if (note is not null)
        {
            buffer.Append(",\"note\":").Append(JsonSerializer.Serialize(note));
        }

        return buffer.Append('}').ToString();
    }

    /// <summary>A whole allowlist document around <paramref name="entries"/> (each from <see cref="Entry"/>).</summary>
    public static string Document(IEnumerable<string> entries, string schema = Schema) =>
        "{\"schema\":" + JsonSerializer.Serialize(schema) + ",\"entries\":[" + string.Join(",", entries) + "]}";

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> and sets <paramref name="mode"/> exactly.</summary>
    public static void WriteText(string path, string text, UnixFileMode mode = OwnerOnly)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Writes an allowlist of <paramref name="entries"/> to <paramref name="path"/> with <paramref name="mode"/>.</summary>
    public static void Write(string path, UnixFileMode mode, params string[] entries) => WriteText(path, Document(entries), mode);

    /// <summary>An instant as the documents write it: UTC, whole seconds, Z.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
