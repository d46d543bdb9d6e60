using SecureUpdate.Errors;
using SecureUpdate.Trust;

namespace SecureUpdate.Feed;

/// <summary>Reads every feed source shares.</summary>
internal static class FeedSourceExtensions
{
    /// <summary>
    /// Reads the signature file of <paramref name="documentPath"/>. A document served without its
    /// signatures is unsigned: a refusal, not a transport failure.
    /// </summary>
    /// <exception cref="VerificationException">There is no signature file (the document is unsigned), or it is too large.</exception>
    /// <exception cref="TransportException">It could not be read after retries.</exception>
    public static async Task<byte[]> ReadSignaturesAsync(this IFeedSource feed, string documentPath, UpdateStage stage, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await feed.ReadDocumentAsync(documentPath + FeedPaths.SignatureSuffix, DocumentVerifier.MaxSignatureFileBytes, stage, cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException ex) when (ex.IsNotFound)
        {
            throw Error.Unsigned(stage, what, ex);
        }
    }
}
