using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Formats;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// Adds one signature at a time to a document's <c>.sig</c> envelope, so that the k signers of a
/// k-of-n role can each sign on their own machine: trust roots, manifests and channel pointers.
/// The document is checked to be valid before it is signed, and never changed.
/// </summary>
public sealed class Cosigner
{
    private readonly IFileSystem _fileSystem;
    private readonly PublishedFiles _files;
    private readonly IKeyPassphraseProvider _passphrases;
    private readonly ILogger _logger;

    /// <summary>Creates a co-signer; encrypted key files are unlocked with <paramref name="passphrases"/> (default: the environment variable).</summary>
    public Cosigner(IFileSystem fileSystem, IKeyPassphraseProvider? passphrases = null)
        : this(fileSystem, new DiskOperations(), passphrases ?? new EnvironmentPassphraseProvider())
    {
    }

    internal Cosigner(IFileSystem fileSystem, DiskOperations disk, IKeyPassphraseProvider passphrases, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(passphrases);
        _fileSystem = fileSystem;
        _files = new PublishedFiles(fileSystem, disk);
        _passphrases = passphrases;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Signs <paramref name="documentPath"/> with the key in <paramref name="keyFile"/>, adding to (or creating) its <c>.sig</c>.</summary>
    /// <exception cref="ConfigurationException">Not a document this signs, a bad key, or the key signed it already.</exception>
    /// <exception cref="VerificationException">The signatures already beside it are for other bytes (the document changed after it was signed).</exception>
    public SignResult Sign(string documentPath, string keyFile)
    {
        ArgumentNullException.ThrowIfNull(documentPath);
        ArgumentNullException.ThrowIfNull(keyFile);
        var bytes = LocalFiles.ReadCapped(_fileSystem, documentPath, ManifestLimits.Default.MaxManifestBytes, "document");
        var (type, kind) = Identify(bytes, documentPath);
        var digest = SHA256.HashData(bytes);
        var digestHex = Convert.ToHexStringLower(digest);
        var signaturePath = documentPath + FeedPaths.SignatureSuffix;
        var existing = ReadEnvelope(signaturePath, digestHex, kind);
        using var key = KeyFiles.Load(_fileSystem, keyFile, _passphrases, _logger);
        if (existing.Any(e => string.Equals(e.KeyId, key.KeyId, StringComparison.Ordinal)))
        {
            throw Error.DuplicateSignature(documentPath, key.KeyId);
        }

        List<SignatureEntry> signatures = [.. existing, key.Sign(type, digest)];
        _files.Write(signaturePath, PublishedFiles.Envelope(digest, signatures));
        return new SignResult(_fileSystem.Path.GetFullPath(documentPath), kind, key.KeyId, signatures.Count);
    }

    /// <summary>What kind of signed document the bytes are, after checking they are a valid one.</summary>
    private static (DocumentType Type, string Kind) Identify(byte[] bytes, string path)
    {
        try
        {
            switch (StrictJson.ReadSchema(bytes))
            {
                // Each kind within the cap its readers apply: a signature on a document nobody would read is wasted.
                case RootDocument.SchemaName:
                    CheckSize(bytes, TrustRoot.MaxFileBytes);
                    _ = TrustRoot.ParseRootDocument(bytes);
                    return (DocumentType.Trust, "trust root");
                case ManifestDocument.SchemaName:
                    _ = DocumentParser.ParseManifest(bytes, ManifestLimits.Default);
                    return (DocumentType.Manifest, "manifest");
                case ChannelPointerDocument.SchemaName:
                    CheckSize(bytes, ManifestLimits.MaxChannelPointerBytes);
                    _ = DocumentParser.ParseChannelPointer(bytes);
                    return (DocumentType.Channel, "channel pointer");
                default:
                    throw Error.NotSignable(path, "it is not a trust root, a manifest or a channel pointer");
            }
        }
        catch (FormatException ex)
        {
            throw Error.NotSignable(path, ex.Message);
        }
        catch (VerificationException ex)
        {
            throw Error.NotSignable(path, ex.Message);
        }
    }

    private static void CheckSize(byte[] bytes, long cap)
    {
        if (bytes.Length > cap)
        {
            throw new FormatException($"it is larger than the {cap} bytes a document of its kind may be");
        }
    }

    private List<SignatureEntry> ReadEnvelope(string signaturePath, string digestHex, string kind)
    {
        if (!_fileSystem.File.Exists(signaturePath))
        {
            return [];
        }

        SignatureEnvelope envelope;
        try
        {
            envelope = DocumentVerifier.ParseEnvelope(LocalFiles.ReadCapped(_fileSystem, signaturePath, DocumentVerifier.MaxSignatureFileBytes, "signature file"));
        }
        catch (FormatException ex)
        {
            throw Error.FileInvalid("signature file", signaturePath, ex.Message, ex);
        }

        return string.Equals(envelope.Sha256, digestHex, StringComparison.Ordinal)
            ? [.. envelope.Signatures]
            : throw Error.SignaturesForOtherBytes(UpdateStage.Release, kind);
    }
}
