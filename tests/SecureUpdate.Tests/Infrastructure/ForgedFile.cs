using System.Security.Cryptography;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>One file of a forged release: its manifest path, content and executable bit.</summary>
public sealed class ForgedFile
{
    public ForgedFile(string path, byte[] content, bool executable = false)
    {
        Path = path;
        Content = content;
        Executable = executable;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public string Path { get; }

    public byte[] Content { get; }

    public bool Executable { get; }

    /// <summary>Lowercase hex SHA-256 of the content: also the blob's name in the feed.</summary>
    public string Sha256 { get; }
}
