namespace SecureUpdate.Publishing;

/// <summary>One signature added to a document's <c>.sig</c>.</summary>
public sealed class SignResult
{
    internal SignResult(string document, string kind, string keyId, int signatures)
    {
        Document = document;
        Kind = kind;
        KeyId = keyId;
        Signatures = signatures;
    }

    /// <summary>The document signed.</summary>
    public string Document { get; }

    /// <summary>What it is: <c>trust root</c>, <c>manifest</c> or <c>channel pointer</c>.</summary>
    public string Kind { get; }

    /// <summary>The key that signed it.</summary>
    public string KeyId { get; }

    /// <summary>How many signatures its <c>.sig</c> holds now.</summary>
    public int Signatures { get; }
}
