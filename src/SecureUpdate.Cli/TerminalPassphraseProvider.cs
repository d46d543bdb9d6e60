using System.Security.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli;

/// <summary>
/// The command line's <see cref="IKeyPassphraseProvider"/>: the environment variable
/// <c>SECURE_UPDATE_KEY_PASSPHRASE</c> (<see cref="EnvironmentPassphraseProvider.Variable"/>), else a
/// prompt on the terminal without echo, and only when stdin is a terminal; a script never hangs on a prompt.
/// Registered before <c>AddSecureUpdate</c>, so every command that takes <c>--key</c> unlocks through it.
/// </summary>
internal sealed class TerminalPassphraseProvider : IKeyPassphraseProvider
{
    /// <summary>Longest passphrase typed at the prompt.</summary>
    private const int MaxLength = 1024;

    private readonly EnvironmentPassphraseProvider _environment = new();

    /// <summary>Whether a passphrase can be asked for: stdin is a terminal.</summary>
    private static bool CanPrompt => !Console.IsInputRedirected;

    /// <inheritdoc/>
    public string? GetPassphrase(string keyFile) =>
        _environment.GetPassphrase(keyFile) ?? (CanPrompt ? Prompt($"Passphrase for {keyFile}: ") : null);

    /// <summary>
    /// The passphrase for a new encrypted key: the environment variable, else asked twice on the terminal.
    /// </summary>
    /// <exception cref="ConfigurationException">Neither is available, or the two entries are empty or differ (exit 2).</exception>
    public string GetNewPassphrase(string keyFile)
    {
        if (_environment.GetPassphrase(keyFile) is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (!CanPrompt)
        {
            throw Error.Usage(
                $"No passphrase for the new key: set {EnvironmentPassphraseProvider.Variable}, or run keygen --encrypt on a terminal to be asked for one.");
        }

        var first = Prompt($"New passphrase for {keyFile}: ");
        if (first is null)
        {
            throw Error.PassphraseEmpty();
        }

        var second = Prompt("The same passphrase again: ");
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw Error.Usage("The two passphrases differ; nothing was written.");
        }

        return first;
    }

    /// <summary>Reads one line from the terminal without echo; null when nothing was typed.</summary>
    private static string? Prompt(string prompt)
    {
        // Sets the console up before the prompt shows, so that the first key typed after it arrives
        // while the read (which turns echo off) is already waiting.
        _ = Console.KeyAvailable;
        Console.Error.Write(prompt);
        var buffer = GC.AllocateUninitializedArray<char>(MaxLength, pinned: true);
        var length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    length = Math.Max(0, length - 1);
                }
                else if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
                {
                    if (length == MaxLength)
                    {
                        throw Error.Usage($"The passphrase is longer than {MaxLength} characters.");
                    }

                    buffer[length++] = key.KeyChar;
                }
            }

            return length == 0 ? null : new string(buffer, 0, length);
        }
        finally
        {
            Console.Error.WriteLine();
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan()));
        }
    }
}
