using System.IO.Abstractions;
using Microsoft.Extensions.Logging;
using SecureUpdate.Diagnostics;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// The two files of a new key, <c>NAME.key</c> and <c>NAME.pub</c>, for every kind of key generated:
/// the name checked and both files found absent before anything is generated, the private part created
/// new and owner-only from its first byte, and nothing ever overwritten. A folder that others may
/// write is used, with a warning: they could replace or remove the key after it is written.
/// </summary>
internal sealed class KeyPairFiles
{
    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly PublishedFiles _files;

    /// <exception cref="ConfigurationException">The name is not valid, or a key of that name exists in <paramref name="folder"/>.</exception>
    public KeyPairFiles(IFileSystem fileSystem, DiskOperations disk, string folder, string name, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(name);
        if (!Identifiers.IsValid(name))
        {
            throw Error.Usage($"The key name '{Printable.Of(name)}' is not valid: use 1-64 of a-z, 0-9, '.', '_', '-'.", "Name");
        }

        _fileSystem = fileSystem;
        _disk = disk;
        _files = new PublishedFiles(fileSystem, disk);
        Folder = folder;
        PrivatePath = fileSystem.Path.Combine(folder, name + ".key");
        PublicPath = fileSystem.Path.Combine(folder, name + ".pub");
        if (fileSystem.File.Exists(PrivatePath) || fileSystem.File.Exists(PublicPath))
        {
            throw Error.KeyExists(name, folder);
        }

        if (fileSystem.Directory.Exists(folder) && disk.IsWritableByOthers(folder))
        {
            LocalFileLog.KeyFolderWritableByOthers(logger, fileSystem.Path.GetFullPath(folder));
        }
    }

    public string Folder { get; }

    /// <summary><c>NAME.key</c>: the private key, encrypted key or key reference.</summary>
    public string PrivatePath { get; }

    /// <summary><c>NAME.pub</c>.</summary>
    public string PublicPath { get; }

    /// <summary>
    /// Creates <c>NAME.key</c> with <paramref name="bytes"/>, owner-only from the start so the secret is never
    /// readable by others, not even briefly; a file this created but could not fill is removed again.
    /// </summary>
    /// <exception cref="ConfigurationException">It cannot be written, or appeared meanwhile.</exception>
    public void WritePrivate(ReadOnlySpan<byte> bytes)
    {
        _files.CreateFolder(Folder);
        var created = false;
        try
        {
            using var stream = _disk.CreateNew(PrivatePath, DiskOperations.OwnerOnlyFile);
            created = true;
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (created)
            {
                RemovePrivate();
            }

            throw Error.FileUnwritable(PrivatePath, ex);
        }
    }

    /// <summary>Writes <c>NAME.pub</c>.</summary>
    /// <exception cref="ConfigurationException">It cannot be written.</exception>
    public void WritePublic(string keyId, byte[] publicKey) => _files.Write(PublicPath, SigningKey.PublicKeyFile(keyId, publicKey));

    /// <summary>Removes <c>NAME.key</c> after a later step failed, so a retry is not refused as an existing key.</summary>
    public void RemovePrivate()
    {
        if (_fileSystem.File.Exists(PrivatePath))
        {
            _fileSystem.File.Delete(PrivatePath);
        }
    }
}
