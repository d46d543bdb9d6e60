using SecureUpdate.IO;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>Creates Ed25519 key pairs for signing releases.</summary>
public static class KeyGenerator
{
    /// <summary>Writes <c>NAME.key</c> (owner-only, never overwritten) and <c>NAME.pub</c> into <paramref name="folder"/>; returns the key id.</summary>
    /// <exception cref="ConfigurationException">The name is not valid or a key of that name exists.</exception>
    public static string Generate(string folder, string name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(name);
        if (!Manifests.Identifiers.IsValid(name))
        {
            throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, $"The key name '{Manifests.DocumentParser.Printable(name)}' is not valid: use 1-64 of a-z, 0-9, '.', '_', '-'.");
        }

        var privatePath = Path.Combine(folder, name + ".key");
        var publicPath = Path.Combine(folder, name + ".pub");
        if (File.Exists(privatePath) || File.Exists(publicPath))
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"A key named '{name}' already exists in '{folder}'; keys are never overwritten.");
        }

        Directory.CreateDirectory(folder);
        using var key = SigningKey.Generate();
        var privateBytes = key.ExportPrivateKeyFile();
        try
        {
            // CreateNew with an owner-only mode from the start: the secret is never readable by others, not even briefly.
            using (var stream = DiskOperations.CreateNew(privatePath, DiskOperations.OwnerOnlyFile))
            {
                stream.Write(privateBytes);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException ex)
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"Cannot write '{privatePath}': {ex.Message}", ex);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateBytes);
        }

        DiskOperations.WriteFileAtomic(publicPath, key.ExportPublicKeyFile(), DiskOperations.Regular);
        return key.KeyId;
    }
}
