using System.IO.Abstractions;
using SecureUpdate.IO;
using SecureUpdate.Manifests;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>Installed manifests are kept exactly as received and verified again, with the same order, whenever they are used.</summary>
internal static class InstalledManifest
{
    /// <summary>Verifies and parses the installed manifest of <paramref name="version"/>.</summary>
    /// <exception cref="VerificationException">It is missing its signatures, altered, or not valid.</exception>
    public static ReleaseManifest Load(IFileSystem fileSystem, TargetPaths paths, string version, TrustRoot trust, ManifestLimits limits)
    {
        byte[] bytes;
        byte[] signatures;
        try
        {
            bytes = LocalFiles.ReadCapped(fileSystem, paths.ManifestFile(version), limits.MaxManifestBytes, "installed manifest");
            signatures = LocalFiles.ReadCapped(fileSystem, paths.ManifestSignatureFile(version), DocumentVerifier.MaxSignatureFileBytes, "installed manifest signature");
        }
        catch (ConfigurationException ex)
        {
            throw new VerificationException(ErrorCode.Signature, UpdateStage.Verify, $"The signed manifest of installed version {version} is missing or unreadable.", ex);
        }

        DocumentVerifier.Verify(trust, DocumentType.Manifest, bytes, signatures, UpdateStage.Verify, $"installed manifest of {version}");
        var manifest = DocumentParser.ParseManifest(bytes, limits);
        if (!string.Equals(manifest.Version.ToString(), version, StringComparison.Ordinal))
        {
            throw new VerificationException(ErrorCode.ManifestMismatch, UpdateStage.Verify, $"The installed manifest kept for {version} is for version {manifest.Version}.");
        }

        return manifest;
    }

    /// <summary>Like <see cref="Load"/>, but null instead of an exception: for optional uses such as reusing unchanged files.</summary>
    public static ReleaseManifest? TryLoad(IFileSystem fileSystem, TargetPaths paths, string version, TrustRoot trust, ManifestLimits limits)
    {
        try
        {
            return Load(fileSystem, paths, version, trust, limits);
        }
        catch (SecureUpdateException)
        {
            return null;
        }
    }
}
