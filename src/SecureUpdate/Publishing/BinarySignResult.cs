namespace SecureUpdate.Publishing;

/// <summary>A file signed in embedded mode: its signature trailer written (or replaced).</summary>
public sealed class BinarySignResult
{
    internal BinarySignResult(string file, long payloadBytes, IReadOnlyList<string> keyIds, bool replaced)
    {
        File = file;
        PayloadBytes = payloadBytes;
        KeyIds = keyIds;
        Replaced = replaced;
    }

    /// <summary>The file signed (full path).</summary>
    public string File { get; }

    /// <summary>How many bytes the signatures cover: every byte before the trailer.</summary>
    public long PayloadBytes { get; }

    /// <summary>The keys that signed it, in the order given.</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>Whether the file carried a trailer already, which the new one replaced.</summary>
    public bool Replaced { get; }
}
