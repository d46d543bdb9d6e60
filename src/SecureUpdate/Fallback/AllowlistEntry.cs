namespace SecureUpdate.Fallback;

/// <summary>One parsed allowlist entry.</summary>
internal sealed record AllowlistEntry(string ManifestSha256, DateTimeOffset Expires, string? Note);
