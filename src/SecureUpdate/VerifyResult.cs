namespace SecureUpdate;

/// <summary>The result of re-verifying an installed version.</summary>
public sealed class VerifyResult
{
    internal VerifyResult(string version, int filesVerified, long bytesVerified)
    {
        Version = version;
        FilesVerified = filesVerified;
        BytesVerified = bytesVerified;
    }

    /// <summary>The version verified.</summary>
    public string Version { get; }

    /// <summary>Files re-hashed.</summary>
    public int FilesVerified { get; }

    /// <summary>Bytes re-hashed.</summary>
    public long BytesVerified { get; }
}
