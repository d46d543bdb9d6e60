using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>
/// Embedded signatures: a file (typically an executable) that carries its own signatures in a trailer
/// appended after its last byte (docs/formats.md, "Embedded signature trailer"). The signatures are
/// Ed25519 over <c>"secure-update/v1 binary\n" || SHA-256(every byte before the trailer)</c>, checked
/// against the release role of a trust root, each key counted once, exactly like a signed document.
/// </summary>
public static class BinarySignature
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>Checks the signature trailer of <paramref name="path"/> against the release role of <paramref name="trust"/>.</summary>
    /// <param name="path">The file, absolute or relative to the current directory.</param>
    /// <param name="trust">The trust root whose release keys and threshold decide.</param>
    /// <exception cref="VerificationException">No trailer, a cut or forged trailer, a changed byte, untrusted keys, or the threshold not met.</exception>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, or not a regular file.</exception>
    public static BinarySignatureResult Verify(string path, TrustRoot trust) => Verify(new FileSystem(), path, trust);

    /// <summary>Like <see cref="Verify(string, TrustRoot)"/>, reading through <paramref name="fileSystem"/>.</summary>
    /// <exception cref="VerificationException">No trailer, a cut or forged trailer, a changed byte, untrusted keys, or the threshold not met.</exception>
    /// <exception cref="ConfigurationException">The file is missing, unreadable, or not a regular file.</exception>
    public static BinarySignatureResult Verify(IFileSystem fileSystem, string path, TrustRoot trust)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(trust);
        using var stream = LocalFiles.OpenLocal(fileSystem, path, "file to verify");
        try
        {
            return Verify(stream, path, fileSystem.Path.GetFullPath(path), trust.ReleaseRole);
        }
        catch (EndOfStreamException ex)
        {
            // The footer's lengths matched when it was read: the file shrank while it was being read.
            throw Error.SignatureTrailerDamaged(path, "the file ended before its footer said it would", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable("file to verify", path, ex);
        }
    }

    /// <summary>
    /// Checks the file already open as <paramref name="stream"/> (positioned reads on its one descriptor, the path
    /// is never opened again): what verified launch executes is exactly what this read.
    /// </summary>
    /// <exception cref="VerificationException">No trailer, a cut or forged trailer, a changed byte, untrusted keys, or the threshold not met.</exception>
    /// <exception cref="ConfigurationException">The file cannot be read.</exception>
    internal static BinarySignatureResult VerifyOpen(Stream stream, string path, string fullPath, TrustRoot trust)
    {
        try
        {
            return Verify(stream, path, fullPath, trust.ReleaseRole);
        }
        catch (EndOfStreamException ex)
        {
            throw Error.SignatureTrailerDamaged(path, "the file ended before its footer said it would", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable("file to run", path, ex);
        }
    }

    /// <summary>
    /// The footer at the end of <paramref name="stream"/>, when the file ends with the trailer's magic; null when it does not.
    /// </summary>
    /// <exception cref="FormatException">The file ends with the magic but the footer does not hold together.</exception>
    internal static BinaryTrailerFooter? ReadFooter(Stream stream)
    {
        var length = stream.Length;
        if (length < BinaryTrailerFooter.Size)
        {
            return null;
        }

        var bytes = new byte[BinaryTrailerFooter.Size];
        stream.Position = length - BinaryTrailerFooter.Size;
        stream.ReadExactly(bytes);
        return BinaryTrailerFooter.HasMagic(bytes) ? BinaryTrailerFooter.Parse(bytes, length) : null;
    }

    /// <summary>
    /// SHA-256 of the first <paramref name="length"/> bytes of <paramref name="source"/>, read from its start in
    /// bounded chunks (never the whole file in memory), each chunk also written to <paramref name="copyTo"/> when given.
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream holds fewer bytes.</exception>
    internal static byte[] HashPrefix(Stream source, long length, Stream? copyTo = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferBytes];
        source.Position = 0;
        for (var remaining = length; remaining > 0;)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(remaining, buffer.Length));
            source.ReadExactly(chunk);
            hash.AppendData(chunk);
            copyTo?.Write(chunk);
            remaining -= chunk.Length;
        }

        return hash.GetHashAndReset();
    }

    private static BinarySignatureResult Verify(Stream stream, string path, string fullPath, TrustRole role)
    {
        BinaryTrailerFooter footer;
        try
        {
            footer = ReadFooter(stream) ?? throw Error.NoSignatureTrailer(path);
        }
        catch (FormatException ex)
        {
            throw Error.SignatureTrailerDamaged(path, ex.Message, ex);
        }

        var payloadLength = (long)footer.PayloadLength;
        var block = new byte[footer.BlockLength];
        stream.Position = payloadLength;
        stream.ReadExactly(block);
        SignatureEnvelope envelope;
        try
        {
            envelope = DocumentVerifier.ParseEnvelope(block);
        }
        catch (FormatException ex)
        {
            throw Error.SignatureTrailerDamaged(path, $"its signature block is not valid: {ex.Message}", ex);
        }

        var digest = HashPrefix(stream, payloadLength);
        if (!string.Equals(envelope.Sha256, Convert.ToHexStringLower(digest), StringComparison.Ordinal))
        {
            throw Error.SignedPayloadAltered(path);
        }

        var counted = DocumentVerifier.CountSignatures(role, includeVerifyOnly: false, SignatureDomain.Message(DocumentType.Binary, digest), envelope);
        if (counted.Count < role.Threshold)
        {
            var named = envelope.Signatures.Select(e => e.KeyId).Distinct(StringComparer.Ordinal).ToList();
            if (counted.Count == 0 && !named.Any(id => role.TryGetKey(id, includeVerifyOnly: false, out _)))
            {
                // Only well-formed ids are echoed: the rest of the block is untrusted bytes.
                throw Error.SignedByUntrustedKeys(path, [.. named.Where(IsKeyId).Take(4)]);
            }

            throw Error.EmbeddedThresholdNotMet(path, counted.Count, role.Threshold);
        }

        return new BinarySignatureResult(fullPath, payloadLength, [.. counted.Order(StringComparer.Ordinal)]);
    }

    private static bool IsKeyId(string id) => id.Length == 64 && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
