using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using SecureUpdate.Diagnostics;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>
/// Opens a private key file of any kind for signing, by its schema: a plain key
/// (<c>secure-update/private-key/v1</c>), a passphrase-encrypted one
/// (<c>secure-update/encrypted-private-key/v1</c>, <see cref="EncryptedKeyFile"/>), or a reference to a
/// key inside an HSM (<c>secure-update/pkcs11-key/v1</c>, signing through PKCS#11). Every command and
/// API that takes a key file goes through here.
/// </summary>
internal static class KeyFiles
{
    /// <summary>Largest key file read.</summary>
    public const int MaxFileBytes = 16 * 1024;

    /// <summary>Opens every key of <paramref name="paths"/> (plain, encrypted or in an HSM), as <see cref="Load"/>; on a failure the ones already open are closed.</summary>
    /// <exception cref="ConfigurationException">A key cannot be opened.</exception>
    public static List<IDocumentSigner> LoadAll(IFileSystem fileSystem, IReadOnlyList<string> paths, IKeyPassphraseProvider passphrases, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keys = new List<IDocumentSigner>(paths.Count);
        try
        {
            foreach (var path in paths)
            {
                keys.Add(Load(fileSystem, path, passphrases, logger));
            }

            return keys;
        }
        catch
        {
            keys.ForEach(k => k.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Opens the key in <paramref name="path"/>; an encrypted one is unlocked with the passphrase <paramref name="passphrases"/> gives.
    /// A file group or others may read or write is still used, with a warning to <paramref name="logger"/>.
    /// </summary>
    /// <exception cref="ConfigurationException">The file is missing, not a regular file, not a key file, or cannot be unlocked.</exception>
    public static IDocumentSigner Load(IFileSystem fileSystem, string path, IKeyPassphraseProvider passphrases, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(passphrases);
        var bytes = LocalFiles.ReadCapped(fileSystem, path, MaxFileBytes, "private key file", out var accessibleByOthers);
        try
        {
            string? schema;
            try
            {
                schema = StrictJson.ReadSchema(bytes);
            }
            catch (FormatException ex)
            {
                throw Error.FileInvalid("private key file", path, ex.Message, ex);
            }

            IDocumentSigner signer = schema switch
            {
                PrivateKeyDocument.SchemaName => SigningKey.Parse(bytes, path),
                EncryptedPrivateKeyDocument.SchemaName => EncryptedKeyFile.Unlock(bytes, path, passphrases),
                Pkcs11KeyDocument.SchemaName => Pkcs11Signer.Open(Pkcs11KeyReference.Parse(bytes, path), path),
                PublicKeyDocument.SchemaName or TrustDocument.SchemaName or RootDocument.SchemaName => throw Error.NotAPrivateKey(path, schema == PublicKeyDocument.SchemaName ? "a public key file" : "a trust file"),
                _ => throw Error.FileInvalid("private key file", path, "it is not a private key file of a known kind"),
            };
            if (accessibleByOthers && logger is not null)
            {
                // Only for a key that opened (a file refused has its own one line). Refusing it would
                // break signing jobs that work today; saying so once, with the fix, is the step up.
                LocalFileLog.KeyFileNotPrivate(logger, path);
            }

            return signer;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
