using System.Security.Cryptography;
using System.Text;

namespace SecureUpdate.Trust;

/// <summary>
/// Builds the exact message that is signed: a per-type ASCII prefix and the SHA-256 digest of the
/// document bytes. The prefix stops a signature over one kind of document from being replayed as
/// a signature over another (docs/formats.md, "Signatures").
/// </summary>
internal static class SignatureDomain
{
    private static readonly byte[] s_manifest = Encoding.ASCII.GetBytes("secure-update/v1 manifest\n");
    private static readonly byte[] s_channel = Encoding.ASCII.GetBytes("secure-update/v1 channel\n");
    private static readonly byte[] s_trust = Encoding.ASCII.GetBytes("secure-update/v1 trust\n");
    private static readonly byte[] s_binary = Encoding.ASCII.GetBytes("secure-update/v1 binary\n");

    /// <summary>The message signed for a document of <paramref name="type"/> whose SHA-256 is <paramref name="digest"/>.</summary>
    public static byte[] Message(DocumentType type, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(digest));
        }

        var prefix = type switch
        {
            DocumentType.Manifest => s_manifest,
            DocumentType.Channel => s_channel,
            DocumentType.Trust => s_trust,
            DocumentType.Binary => s_binary,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        var message = new byte[prefix.Length + digest.Length];
        prefix.CopyTo(message, 0);
        digest.CopyTo(message.AsSpan(prefix.Length));
        return message;
    }
}
