namespace SecureUpdate.Trust;

/// <summary>A file whose embedded signature trailer met the trust root's release threshold.</summary>
public sealed class BinarySignatureResult
{
    internal BinarySignatureResult(string file, long payloadBytes, IReadOnlyList<string> keyIds)
    {
        File = file;
        PayloadBytes = payloadBytes;
        KeyIds = keyIds;
    }

    /// <summary>The file verified (full path).</summary>
    public string File { get; }

    /// <summary>How many bytes the signatures cover: every byte before the trailer.</summary>
    public long PayloadBytes { get; }

    /// <summary>The distinct trusted keys whose valid signatures met the threshold, in key id order.</summary>
    public IReadOnlyList<string> KeyIds { get; }
}
