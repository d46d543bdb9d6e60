namespace SecureUpdate.Feed;

/// <summary>A conditionally read document: its bytes, or null when unchanged since <see cref="ETag"/>; and the validator to send next time.</summary>
internal readonly record struct FeedDocument(byte[]? Bytes, string? ETag);
