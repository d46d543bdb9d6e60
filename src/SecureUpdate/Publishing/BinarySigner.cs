using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// Signs a file in embedded mode: appends a signature trailer (docs/formats.md, "Embedded signature
/// trailer") whose signatures cover every byte before it, replacing the trailer a signed file carries
/// already. The file is rewritten atomically with the mode it had (an executable stays executable and
/// runnable: loaders ignore bytes after the image), so it is never left half-signed.
/// <see cref="BinarySignature.Verify(string, TrustRoot)"/> checks it.
/// </summary>
public sealed class BinarySigner
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly IKeyPassphraseProvider _passphrases;
    private readonly ILogger _logger;

    /// <summary>Creates a signer; encrypted key files are unlocked with <paramref name="passphrases"/> (default: the environment variable).</summary>
    public BinarySigner(IFileSystem fileSystem, IKeyPassphraseProvider? passphrases = null)
        : this(fileSystem, new DiskOperations(), passphrases ?? new EnvironmentPassphraseProvider())
    {
    }

    internal BinarySigner(IFileSystem fileSystem, DiskOperations disk, IKeyPassphraseProvider passphrases, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(passphrases);
        _fileSystem = fileSystem;
        _disk = disk;
        _passphrases = passphrases;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Signs <paramref name="path"/> with every key in <paramref name="keyFiles"/> (key files, encrypted key files or HSM references).</summary>
    /// <exception cref="ConfigurationException">
    /// The file is missing, not a regular file (or a symlink), ends with a damaged trailer, or cannot be rewritten; a key is bad or given twice.
    /// </exception>
    public BinarySignResult Sign(string path, IReadOnlyList<string> keyFiles)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(keyFiles);
        if (keyFiles.Count == 0)
        {
            throw new ArgumentException("At least one key signs.", nameof(keyFiles));
        }

        using var source = OpenSource(path);
        var (payloadLength, replaced) = Payload(source, path);
        var keys = KeyFiles.LoadAll(_fileSystem, keyFiles, _passphrases, _logger);
        try
        {
            if (keys.GroupBy(k => k.KeyId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw Error.KeyGivenTwice(twice.Key);
            }

            var mode = source is FileStream file ? DiskOperations.PermissionsOf(file) : DiskOperations.Regular;
            try
            {
                // One pass: the bytes hashed and signed are exactly the bytes written.
                _disk.WriteFileAtomic(path, mode, output =>
                {
                    var digest = BinarySignature.HashPrefix(source, payloadLength, output);
                    var block = PublishedFiles.Envelope(digest, keys.Select(k => k.Sign(DocumentType.Binary, digest)));
                    if (block.Length > BinaryTrailerFooter.MaxBlockBytes)
                    {
                        throw Error.SignatureBlockTooLarge(block.Length, BinaryTrailerFooter.MaxBlockBytes);
                    }

                    output.Write(block);
                    output.Write(new BinaryTrailerFooter((ulong)payloadLength, (uint)block.Length).ToBytes());
                });
            }
            catch (EndOfStreamException ex)
            {
                throw Error.FileUnreadable("file to sign", path, ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Error.FileUnwritable(path, ex);
            }

            return new BinarySignResult(_fileSystem.Path.GetFullPath(path), payloadLength, [.. keys.Select(k => k.KeyId)], replaced);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    /// <summary>The file, opened only when it is a regular file and not a symlink (renaming over a symlink would replace the link, not its target).</summary>
    private Stream OpenSource(string path)
    {
        try
        {
            return LocalFiles.OpenRegular(_fileSystem, path, noFollow: true);
        }
        catch (NotRegularFileException ex)
        {
            throw Error.NotRegularFile("file to sign", path, ex.Problem, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable("file to sign", path, ex);
        }
    }

    /// <summary>The bytes to sign: the whole file, or, when it is signed already, every byte before its trailer.</summary>
    private static (long Length, bool Replaced) Payload(Stream source, string path)
    {
        try
        {
            return BinarySignature.ReadFooter(source) is { } footer ? ((long)footer.PayloadLength, true) : (source.Length, false);
        }
        catch (FormatException ex)
        {
            // A half trailer is refused, not signed around: signing it would bury the damage inside the signed bytes.
            throw Error.DamagedTrailerNotSigned(path, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable("file to sign", path, ex);
        }
    }
}
