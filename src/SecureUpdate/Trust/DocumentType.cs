namespace SecureUpdate.Trust;

/// <summary>The kinds of signed document; each signs under its own domain-separation prefix.</summary>
internal enum DocumentType
{
    /// <summary>A release manifest.</summary>
    Manifest,

    /// <summary>A channel pointer.</summary>
    Channel,

    /// <summary>A trust file update.</summary>
    Trust,

    /// <summary>The payload of a file signed in embedded mode (every byte before its signature trailer).</summary>
    Binary,
}
