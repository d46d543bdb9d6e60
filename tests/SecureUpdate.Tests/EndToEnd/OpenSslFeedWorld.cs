namespace SecureUpdate.Tests.EndToEnd;

/// <summary>What the commands of docs/verify-with-openssl.md check: a feed, its trusted keys, and a file signed with sign-binary.</summary>
internal sealed record OpenSslFeedWorld(string Feed, string[] ReleaseKeys, string RootKey, string Binary);
