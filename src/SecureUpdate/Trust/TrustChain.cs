using SecureUpdate.Errors;

namespace SecureUpdate.Trust;

/// <summary>
/// Root rotation (as in TUF): trust root N+1 counts only when the root role of N and the root role
/// of N+1 both signed it, each to its threshold, and it says it is exactly version N+1. The order
/// is the same as for every document: SHA-256 of the exact bytes and the signatures of the root
/// already trusted first, then parsing, then the new root's own signatures and its version.
/// </summary>
internal static class TrustChain
{
    /// <summary>Verifies trust root <c>current.Version + 1</c> against <paramref name="current"/>; returns it.</summary>
    /// <exception cref="VerificationException">Not signed by both root roles, not valid, or not the next version.</exception>
    public static TrustRoot VerifyNext(TrustRoot current, ReadOnlySpan<byte> document, ReadOnlySpan<byte> signatureFile)
    {
        var version = current.Version + 1;
        DocumentVerifier.Verify(current.RootRole, includeVerifyOnly: false, DocumentType.Trust, document, signatureFile, UpdateStage.Trust, $"trust root {version} (by root {current.Version}'s root role)");
        var next = Parse(document, version);
        if (next.Version != version)
        {
            throw Error.TrustVersionNotNext(version, next.Version);
        }

        DocumentVerifier.Verify(next.RootRole, includeVerifyOnly: false, DocumentType.Trust, document, signatureFile, UpdateStage.Trust, $"trust root {version} (by its own root role)");
        return next;
    }

    /// <summary>Verifies root 1, the first of a chain, which only its own root role can sign; returns it.</summary>
    /// <exception cref="VerificationException">Not signed by its own root role, not version 1, or not valid.</exception>
    public static TrustRoot VerifyFirst(ReadOnlySpan<byte> document, ReadOnlySpan<byte> signatureFile)
    {
        const int expectedVersion = 1;
        // Parsing before the signatures is unavoidable here: only the document names its keys. It
        // is capped and strictly parsed, and nothing else is read from it until its own root role signed it.
        var first = Parse(document, expectedVersion);
        if (first.Version != expectedVersion)
        {
            throw Error.TrustVersionNotNext(expectedVersion, first.Version);
        }

        DocumentVerifier.Verify(first.RootRole, includeVerifyOnly: false, DocumentType.Trust, document, signatureFile, UpdateStage.Trust, $"trust root {expectedVersion} (by its own root role)");
        return first;
    }

    private static TrustRoot Parse(ReadOnlySpan<byte> document, int version)
    {
        try
        {
            return TrustRoot.ParseRootDocument(document);
        }
        catch (FormatException ex)
        {
            throw Error.TrustRootInvalid(version, ex.Message, ex);
        }
    }
}
