namespace SecureUpdate.Trust;

/// <summary>Supplies the passphrase that unlocks an encrypted private key file.</summary>
public interface IKeyPassphraseProvider
{
    /// <summary>The passphrase for <paramref name="keyFile"/>, or null when none can be had.</summary>
    /// <param name="keyFile">The key file being unlocked, to name it in a prompt.</param>
    string? GetPassphrase(string keyFile);
}
