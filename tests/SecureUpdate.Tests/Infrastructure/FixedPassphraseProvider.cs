using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>An <see cref="IKeyPassphraseProvider"/> that gives one passphrase (or none) and counts how often it was asked.</summary>
public sealed class FixedPassphraseProvider : IKeyPassphraseProvider
{
    private int _calls;

    public FixedPassphraseProvider(string? passphrase) => Passphrase = passphrase;

    public string? Passphrase { get; }

    /// <summary>How many times a passphrase was asked for.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public string? GetPassphrase(string keyFile)
    {
        Interlocked.Increment(ref _calls);
        return Passphrase;
    }
}
