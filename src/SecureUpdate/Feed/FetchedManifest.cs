using SecureUpdate.Documents;

namespace SecureUpdate.Feed;

/// <summary>A verified, parsed manifest with its exact bytes and signature file, kept as received in the target.</summary>
internal sealed record FetchedManifest(ReleaseManifest Manifest, byte[] Bytes, byte[] Signatures);
