using System.IO.Abstractions;
using System.Security.Cryptography;
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

    /// <summary>Creates a key generator.</summary>
    public KeyGenerator(IFileSystem fileSystem)
        : this(fileSystem, new DiskOperations())
    {
    }

    internal KeyGenerator(IFileSystem fileSystem, DiskOperations disk)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        _fileSystem = fileSystem;
        _disk = disk;
    }

    /// <summary>Writes <c>NAME.key</c> (owner-only, never overwritten) and <c>NAME.pub</c> into <paramref name="folder"/>; returns the key id.</summary>
    /// <exception cref="ConfigurationException">The name is not valid or a key of that name exists.</exception>
    public string Generate(string folder, string name) => Write(folder, name, passphrase: null);

    /// <summary>
    /// Like <see cref="Generate"/>, but <c>NAME.key</c> is encrypted with <paramref name="passphrase"/>
    /// (Argon2id and XChaCha20-Poly1305, docs/formats.md): the private key never reaches the disk in the
    /// clear. Signing with it needs the passphrase (<see cref="IKeyPassphraseProvider"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">The name is not valid, the passphrase is empty, or a key of that name exists.</exception>
    public string GenerateEncrypted(string folder, string name, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (passphrase.Length == 0)
        {
            throw Error.PassphraseEmpty();
        }

        return Write(folder, name, passphrase);
    }

    private string Write(string folder, string name, string? passphrase)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(name);
        if (!Identifiers.IsValid(name))
        {
            throw Error.Usage($"The key name '{Printable.Of(name)}' is not valid: use 1-64 of a-z, 0-9, '.', '_', '-'.", "Name");
        }

        var privatePath = _fileSystem.Path.Combine(folder, name + ".key");
        var publicPath = _fileSystem.Path.Combine(folder, name + ".pub");
        if (_fileSystem.File.Exists(privatePath) || _fileSystem.File.Exists(publicPath))
        {
            throw Error.KeyExists(name, folder);
        }

        _fileSystem.Directory.CreateDirectory(folder);
        using var key = SigningKey.Generate();
        var privateBytes = passphrase is null ? key.ExportPrivateKeyFile() : EncryptedKeyFile.Encrypt(key, passphrase);
        try
        {
            // CreateNew with an owner-only mode from the start: the secret is never readable by others, not even briefly.
            using var stream = _disk.CreateNew(privatePath, DiskOperations.OwnerOnlyFile);
            stream.Write(privateBytes);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException ex)
        {
            throw Error.FileUnwritable(privatePath, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateBytes);
        }

        _disk.WriteFileAtomic(publicPath, key.ExportPublicKeyFile(), DiskOperations.Regular);
        return key.KeyId;
    }
}
