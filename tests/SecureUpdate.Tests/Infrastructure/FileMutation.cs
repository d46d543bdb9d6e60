namespace SecureUpdate.Tests.Infrastructure;

/// <summary>Ways a feed file is tampered with in transit or at rest.</summary>
public enum FileMutation
{
    /// <summary>One byte in the middle has a bit flipped.</summary>
    Flip,

    /// <summary>Cut to half its length.</summary>
    Truncate,

    /// <summary>Bytes appended: whitespace after a signed document (still parses if re-serialised), garbage elsewhere.</summary>
    Extend,

    /// <summary>Zero bytes.</summary>
    Empty,
}
