namespace SecureUpdate.Tests.Trust;

/// <summary>One Ed25519 verification case from the Wycheproof file.</summary>
internal sealed record WycheproofVector(
    int TcId,
    byte[] PublicKey,
    byte[] Message,
    byte[] Signature,
    string Result,
    string Comment,
    IReadOnlyList<string> Flags);
