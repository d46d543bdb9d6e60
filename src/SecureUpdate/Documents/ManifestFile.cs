namespace SecureUpdate.Documents;

/// <summary>One file a release manifest signs.</summary>
internal sealed class ManifestFile
{
    public ManifestFile(string path, long size, byte[] sha256, bool executable)
    {
        Path = path;
        Size = size;
        Sha256 = sha256;
        Executable = executable;
    }

    /// <summary>Safe relative <c>/</c>-separated path.</summary>
    public string Path { get; }

    /// <summary>Exact size in bytes.</summary>
    public long Size { get; }

    /// <summary>SHA-256 of the content.</summary>
    public byte[] Sha256 { get; }

    /// <summary>Lowercase hex of <see cref="Sha256"/>: the blob name in a feed.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(Sha256);

    /// <summary>Whether the file is installed executable (0755) rather than 0644.</summary>
    public bool Executable { get; }
}
