namespace SecureUpdate.Tests.Infrastructure;

/// <summary>What <see cref="IndependentPkcs11"/> read of a private key in a token.</summary>
public sealed record PrivateKeyAttributes(bool Token, bool Sensitive, bool Extractable, bool NeverExtractable, bool Sign, ulong KeyType, bool ValueReadable);
