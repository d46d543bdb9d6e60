using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Formats;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// The files the release side writes and the signature files it reads: one way to write a signed
/// document (its signatures first), one way to build a signature envelope, and failures to write
/// reported as configuration errors rather than raw I/O exceptions.
/// </summary>
internal sealed class PublishedFiles
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;

    public PublishedFiles(IFileSystem fileSystem, DiskOperations disk)
    {
        _fileSystem = fileSystem;
        _disk = disk;
    }

    /// <summary>The bytes of a signature envelope over the document whose SHA-256 is <paramref name="digest"/>.</summary>
    public static byte[] Envelope(ReadOnlySpan<byte> digest, IEnumerable<SignatureEntry> signatures) =>
        StrictJson.Write(
            new SignatureEnvelope { Schema = SignatureEnvelope.SchemaName, Sha256 = Convert.ToHexStringLower(digest), Signatures = [.. signatures] },
            SecureUpdateJsonContext.Default.SignatureEnvelope);

    /// <summary>Signs <paramref name="document"/> with every key and writes both files; returns the document's SHA-256.</summary>
    public byte[] SignAndWrite(string path, byte[] document, DocumentType type, IReadOnlyList<IDocumentSigner> keys)
    {
        var digest = SHA256.HashData(document);
        WriteSigned(path, document, Envelope(digest, keys.Select(k => k.Sign(type, digest))));
        return digest;
    }

    /// <summary>Writes a document and its signature file, the signatures first, so a reader never sees a new document with no signature for it yet.</summary>
    /// <exception cref="ConfigurationException">A file or its folder cannot be written.</exception>
    public void WriteSigned(string path, byte[] document, byte[] signatures)
    {
        Write(path + FeedPaths.SignatureSuffix, signatures);
        Write(path, document);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically and durably, creating its folder.</summary>
    /// <exception cref="ConfigurationException">The file or its folder cannot be written.</exception>
    public void Write(string path, byte[] bytes)
    {
        try
        {
            _fileSystem.Directory.CreateDirectory(_fileSystem.Path.GetDirectoryName(_fileSystem.Path.GetFullPath(path))!);
            _disk.WriteFileAtomic(path, bytes, DiskOperations.Regular);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnwritable(path, ex);
        }
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents) when missing.</summary>
    /// <exception cref="ConfigurationException">It cannot be created, or a file is in the way.</exception>
    public void CreateFolder(string folder)
    {
        try
        {
            _fileSystem.Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnwritable(folder, ex);
        }
    }

    /// <summary>Reads the signature file beside a local document (a draft, a root to publish, a root of a feed folder).</summary>
    /// <exception cref="VerificationException">There is none: the document is unsigned.</exception>
    /// <exception cref="ConfigurationException">It cannot be read or is too large.</exception>
    public static byte[] ReadSignatures(IFileSystem fileSystem, string documentPath, UpdateStage stage, string what)
    {
        var signaturePath = documentPath + FeedPaths.SignatureSuffix;
        if (!fileSystem.File.Exists(signaturePath))
        {
            throw Error.SignatureFileMissing(stage, what, signaturePath);
        }

        return LocalFiles.ReadCapped(fileSystem, signaturePath, DocumentVerifier.MaxSignatureFileBytes, "signature file");
    }
}
