using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>Installed manifests are kept exactly as received and verified again, with the same order, whenever they are used.</summary>
internal static class InstalledManifest
{
    /// <summary>Verifies (or, with the hash-allowlist waiver, accepts as listed) and parses the installed manifest of <paramref name="version"/>.</summary>
    /// <exception cref="VerificationException">It is missing its signatures, altered, or not valid.</exception>
    public static ReleaseManifest Load(IFileSystem fileSystem, TargetLayout layout, string version, TrustContext trust, ManifestLimits limits)
    {
        // The version comes from the target (current, the state, a listed name): checked before it becomes a path.
        if (!SemanticVersion.TryParse(version, out _))
        {
            throw Error.LocalVersionInvalid("manifests folder", layout.Manifests, "version", version);
        }

        var bytes = ReadInstalled(fileSystem, layout.ManifestFile(version), limits.MaxManifestBytes, version);
        var what = $"installed manifest of {version}";
        try
        {
            var signatures = ReadInstalled(fileSystem, layout.ManifestSignatureFile(version), DocumentVerifier.MaxSignatureFileBytes, version);
            trust.Verify(DocumentType.Manifest, bytes, signatures, UpdateStage.Verify, what);
        }
        catch (VerificationException ex) when (trust.CanWaive(ex))
        {
            trust.Waive(SHA256.HashData(bytes), ex, version, what);
        }

        var manifest = DocumentParser.ParseManifest(bytes, limits);
        if (!string.Equals(manifest.Version.ToString(), version, StringComparison.Ordinal))
        {
            throw Error.ManifestMismatch(UpdateStage.Verify, version, $"The installed manifest kept for {version} is for version {manifest.Version}.");
        }

        return manifest;
    }

    /// <summary>
    /// Like <see cref="Load"/>, but strictly signed (no waiver, so nothing is recorded) and null
    /// instead of an exception: for optional uses such as reusing unchanged files.
    /// </summary>
    public static ReleaseManifest? TryLoad(IFileSystem fileSystem, TargetLayout layout, string version, TrustRoot trust, ManifestLimits limits)
    {
        try
        {
            return Load(fileSystem, layout, version, new TrustContext(trust, null, TrustPurpose.Installed), limits);
        }
        catch (SecureUpdateException)
        {
            return null;
        }
    }

    private static byte[] ReadInstalled(IFileSystem fileSystem, string path, int cap, string version)
    {
        try
        {
            return LocalFiles.ReadCapped(fileSystem, path, cap, "installed manifest");
        }
        catch (ConfigurationException ex)
        {
            throw Error.InstalledManifestMissing(version, ex);
        }
    }

    /// <summary>Keeps the manifest of <paramref name="version"/> as received, its signatures first, before the version is placed.</summary>
    public static void Keep(DiskOperations disk, TargetLayout layout, string version, FetchedManifest fetched)
    {
        disk.CreateDirectory(layout.Manifests, DiskOperations.OwnerOnlyDirectory);
        disk.WriteFileAtomic(layout.ManifestSignatureFile(version), fetched.Signatures, DiskOperations.OwnerOnlyFile);
        disk.WriteFileAtomic(layout.ManifestFile(version), fetched.Bytes, DiskOperations.OwnerOnlyFile);
        FaultInjection.Point("manifest-written");
    }

    /// <summary>Removes the kept manifest of <paramref name="version"/> and its signatures.</summary>
    public static void Remove(IFileSystem fileSystem, TargetLayout layout, string version)
    {
        fileSystem.DeletePath(layout.ManifestFile(version));
        fileSystem.DeletePath(layout.ManifestSignatureFile(version));
    }

    /// <summary>Installed files by digest (hex), to copy and re-hash instead of downloading them again; only from strictly signed manifests.</summary>
    public static Dictionary<string, string> ReusableFiles(IFileSystem fileSystem, IInstallTarget target, TargetState state, TrustRoot trust, ManifestLimits limits)
    {
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var installed in target.ListVersions(state))
        {
            var name = installed.ToString();

            // Asked first: a kind that keeps no copies costs no manifest reads or signature checks.
            if (target.InstalledFolder(name) is not { } folder)
            {
                continue;
            }

            foreach (var file in TryLoad(fileSystem, target.Layout, name, trust, limits)?.Files ?? [])
            {
                copies.TryAdd(file.Sha256Hex, fileSystem.Path.Combine(folder, file.Path));
            }
        }

        return copies;
    }
}
