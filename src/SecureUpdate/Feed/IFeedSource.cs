using SecureUpdate.Errors;

namespace SecureUpdate.Feed;

/// <summary>Where a feed's static files come from: HTTP(S) or a local folder. Nothing here trusts the bytes.</summary>
internal interface IFeedSource : IDisposable
{
    /// <summary>Reads a whole small document, at most <paramref name="cap"/> bytes.</summary>
    /// <exception cref="VerificationException">The document is larger than the cap (<see cref="ErrorCode.TooLarge"/>).</exception>
    /// <exception cref="TransportException">It could not be read after retries.</exception>
    Task<byte[]> ReadDocumentAsync(string relativePath, long cap, UpdateStage stage, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="ReadDocumentAsync"/>, but conditional: when the document still has the
    /// validator <paramref name="etag"/> it is not transferred (HTTP 304) and the bytes are null.
    /// </summary>
    Task<FeedDocument> ReadDocumentIfChangedAsync(string relativePath, long cap, UpdateStage stage, string? etag, CancellationToken cancellationToken);

    /// <summary>
    /// Streams a blob into <paramref name="destination"/> while hashing it, until it holds
    /// <paramref name="size"/> bytes; returns false when the body is longer or shorter than
    /// <paramref name="size"/>, or a continued body does not fit (an integrity failure the caller may
    /// retry once from byte 0). A source that can continues what the destination already holds (HTTP
    /// <c>Range</c> with <c>If-Range</c>), after <see cref="BlobDestination.Prepare"/> hashed it again.
    /// </summary>
    Task<bool> CopyBlobAsync(string relativePath, long size, BlobDestination destination, CancellationToken cancellationToken);

    /// <summary>
    /// Whether an interrupted blob download from this source can be continued later (HTTP, with a validator),
    /// so that it is worth keeping its bytes as a partial download; a folder is simply copied again.
    /// </summary>
    bool CanResume => false;

    /// <summary>
    /// How many times a blob whose bytes do not match its signed digest is fetched before the release
    /// is refused: once more from scratch for one feed; for mirrors, each mirror once.
    /// </summary>
    int BlobAttempts => 2;

    /// <summary>
    /// Told that the blob last copied from <paramref name="relativePath"/> did not match its signed
    /// digest, so that the next attempt comes from another mirror. One feed has nothing to change.
    /// </summary>
    void BlobMismatched(string relativePath)
    {
    }
}
