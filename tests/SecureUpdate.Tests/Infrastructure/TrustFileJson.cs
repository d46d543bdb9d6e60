using System.Text.Json;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Writes trust files and single-key <c>.pub</c> files independently of the library's serializer: the one writer of
/// both in the tests (<see cref="FeedForger"/> and <see cref="ForgedKey"/> use it), taking raw key ids and keys so a test can write wrong ones.
/// </summary>
internal static class TrustFileJson
{
    public static byte[] Build(int threshold, params SigningKey[] keys) =>
        Build(threshold, keys.Select(k => (k.KeyId, Convert.ToBase64String(k.PublicKey))));

    public static byte[] Build(int threshold, IEnumerable<(string KeyId, string PublicKey)> keys)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", "secure-update/trust/v1");
            writer.WriteNumber("threshold", threshold);
            writer.WriteStartArray("keys");
            foreach (var (keyId, publicKey) in keys)
            {
                writer.WriteStartObject();
                writer.WriteString("keyId", keyId);
                writer.WriteString("publicKey", publicKey);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A single-key <c>.pub</c> document.</summary>
    public static byte[] PublicKeyFile(string keyId, string publicKey, string algorithm = "ed25519")
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", "secure-update/public-key/v1");
            writer.WriteString("algorithm", algorithm);
            writer.WriteString("keyId", keyId);
            writer.WriteString("publicKey", publicKey);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
