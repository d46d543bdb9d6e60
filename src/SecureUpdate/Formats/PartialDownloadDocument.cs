namespace SecureUpdate.Formats;

/// <summary>
/// The sidecar of an interrupted download kept for the next run (<c>partial/HEX.json</c> in a target's
/// state folder): which blob, from which URL, and the validator the server gave for its bytes, so that
/// the download continues only from the same URL and only while the server still holds the same content.
/// </summary>
internal sealed class PartialDownloadDocument
{
    public const string SchemaName = "secure-update/partial/v1";

    public required string Schema { get; init; }

    /// <summary>The blob's SHA-256 (lowercase hex), the same as the partial file's name.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The blob's size from the signed manifest.</summary>
    public required long Size { get; init; }

    /// <summary>The absolute URL the bytes came from (a feed URL carries no credentials).</summary>
    public required string Source { get; init; }

    /// <summary>The strong ETag (with its quotes) or, when the server sent none, the Last-Modified date (RFC 1123).</summary>
    public required string Validator { get; init; }
}
