using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>A trust root document written or published, with where it is.</summary>
public sealed class TrustDocumentResult
{
    internal TrustDocumentResult(string path, TrustRoot root)
    {
        Path = path;
        Root = root;
    }

    /// <summary>The document's path.</summary>
    public string Path { get; }

    /// <summary>The root it holds.</summary>
    public TrustRoot Root { get; }
}
