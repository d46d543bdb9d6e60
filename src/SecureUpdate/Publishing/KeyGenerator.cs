using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Diagnostics;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>Creates Ed25519 key pairs for signing releases.</summary>
public sealed class KeyGenerator
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly ILogger _logger;

    /// <summary>Creates a key generator.</summary>
    public KeyGenerator(IFileSystem fileSystem)
        : this(fileSystem, new DiskOperations())
    {
    }

    internal KeyGenerator(IFileSystem fileSystem, DiskOperations disk, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        _fileSystem = fileSystem;
        _disk = disk;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Writes <c>NAME.key</c> (owner-only, never overwritten) and <c>NAME.pub</c> into <paramref name="folder"/>; returns the key id.</summary>
    /// <exception cref="ConfigurationException">The name is not valid, a key of that name exists, or a file cannot be written.</exception>
    public string Generate(string folder, string name) => Write(new KeyPairFiles(_fileSystem, _disk, folder, name, _logger), passphrase: null);

    /// <summary>
    /// Like <see cref="Generate"/>, but <c>NAME.key</c> is encrypted with <paramref name="passphrase"/>
    /// (Argon2id and XChaCha20-Poly1305, docs/formats.md): the private key never reaches the disk in the
    /// clear. Signing with it needs the passphrase (<see cref="IKeyPassphraseProvider"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">The name is not valid, the passphrase is empty, a key of that name exists, or a file cannot be written.</exception>
    public string GenerateEncrypted(string folder, string name, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        return GenerateEncrypted(folder, name, _ => passphrase);
    }

    /// <summary>
    /// Like <see cref="GenerateEncrypted(string, string, string)"/>, asking for the passphrase (given the path of
    /// <c>NAME.key</c>) only once the name is valid and no key of that name exists, so nobody types a passphrase
    /// for a key that is then refused.
    /// </summary>
    /// <exception cref="ConfigurationException">The name is not valid, the passphrase is empty, a key of that name exists, or a file cannot be written.</exception>
    public string GenerateEncrypted(string folder, string name, Func<string, string> askPassphrase)
    {
        ArgumentNullException.ThrowIfNull(askPassphrase);
        var files = new KeyPairFiles(_fileSystem, _disk, folder, name, _logger);
        var passphrase = askPassphrase(files.PrivatePath);
        if (string.IsNullOrEmpty(passphrase))
        {
            throw Error.PassphraseEmpty();
        }

        return Write(files, passphrase);
    }

    private static string Write(KeyPairFiles files, string? passphrase)
    {
        using var key = SigningKey.Generate();
        var privateBytes = passphrase is null ? key.ExportPrivateKeyFile() : EncryptedKeyFile.Encrypt(key, passphrase);
        try
        {
            files.WritePrivate(privateBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateBytes);
        }

        try
        {
            files.WritePublic(key.KeyId, key.PublicKey);
        }
        catch
        {
            // A private key without its public half is half a key pair: leave nothing, so a retry is not refused.
            files.RemovePrivate();
            throw;
        }

        return key.KeyId;
    }
}
