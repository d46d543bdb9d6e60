namespace SecureUpdate.Trust;

/// <summary>
/// The default <see cref="IKeyPassphraseProvider"/>: the environment variable
/// <c>SECURE_UPDATE_KEY_PASSPHRASE</c>, never a prompt (a library must not read the terminal).
/// </summary>
public sealed class EnvironmentPassphraseProvider : IKeyPassphraseProvider
{
    /// <summary>The environment variable read.</summary>
    public const string Variable = "SECURE_UPDATE_KEY_PASSPHRASE";

    /// <inheritdoc/>
    public string? GetPassphrase(string keyFile) => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
}
