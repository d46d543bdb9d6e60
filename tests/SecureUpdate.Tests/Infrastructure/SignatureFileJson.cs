using System.Text.Json;
using SecureUpdate.Formats;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Writes detached <c>.sig</c> files independently of the library's serializer: the one writer of them in the tests
/// (<see cref="FeedForger"/> signs with it), taking raw digests and signatures so a test can write wrong ones.
/// </summary>
internal static class SignatureFileJson
{
    public static byte[] Build(ReadOnlySpan<byte> digest, params SignatureEntry[] entries) =>
        Build(Convert.ToHexStringLower(digest), entries.Select(e => (e.KeyId, e.Signature)));

    public static byte[] Build(string sha256Hex, IEnumerable<(string KeyId, string Signature)> entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", "secure-update/signatures/v1");
            writer.WriteString("sha256", sha256Hex);
            writer.WriteStartArray("signatures");
            foreach (var (keyId, signature) in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("keyId", keyId);
                writer.WriteString("signature", signature);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
