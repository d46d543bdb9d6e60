using System.IO.Abstractions;
using SecureUpdate.Fallback;
using SecureUpdate.IO;
using SecureUpdate.Manifests;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>Installed manifests are kept exactly as received and verified again, with the same order, whenever they are used.</summary>
internal static class InstalledManifest
{
    /// <summary>Verifies (or, with a waiver, accepts as listed) and parses the installed manifest of <paramref name="version"/>.</summary>
    /// <exception cref="VerificationException">It is missing its signatures, altered, or not valid.</exception>
    public static ReleaseManifest Load(IFileSystem fileSystem, TargetPaths paths, string version, TrustRoot trust, ManifestLimits limits, SignatureWaiver? waiver = null)
    {
        var bytes = ReadInstalled(fileSystem, paths.ManifestFile(version), limits.MaxManifestBytes, version);
        SignatureWaiver.VerifyManifest(
            waiver,
            trust,
            bytes,
            () => ReadInstalled(fileSystem, paths.ManifestSignatureFile(version), DocumentVerifier.MaxSignatureFileBytes, version),
            UpdateStage.Verify,
            $"installed manifest of {version}",
            version);
        var manifest = DocumentParser.ParseManifest(bytes, limits);
        if (!string.Equals(manifest.Version.ToString(), version, StringComparison.Ordinal))
        {
            throw new VerificationException(ErrorCode.ManifestMismatch, UpdateStage.Verify, $"The installed manifest kept for {version} is for version {manifest.Version}.");
        }

        return manifest;
    }

    private static byte[] ReadInstalled(IFileSystem fileSystem, string path, int cap, string version)
    {
        try
        {
            return LocalFiles.ReadCapped(fileSystem, path, cap, "installed manifest");
        }
        catch (ConfigurationException ex)
        {
            throw new VerificationException(ErrorCode.Signature, UpdateStage.Verify, $"The signed manifest of installed version {version} is missing or unreadable.", ex);
        }
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
