using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>The trust root a target was installed with, kept in its state for the commands that are given none (swap, rollback).</summary>
internal static class PinnedTrust
{
    /// <summary>Reads the pinned trust root.</summary>
    /// <exception cref="ConfigurationException">The target has none, or it is not valid.</exception>
    public static TrustRoot Load(IFileSystem fileSystem, IInstallTarget target) =>
        fileSystem.File.Exists(target.Layout.PinnedTrust)
            ? TrustRoot.Load(fileSystem, target.Layout.PinnedTrust)
            : throw Error.NoPinnedTrust(target.Location);

    /// <summary>Pins <paramref name="trust"/> durably, owner-only.</summary>
    public static void Write(DiskOperations disk, IInstallTarget target, TrustRoot trust) =>
        disk.WriteFileAtomic(target.Layout.PinnedTrust, trust.ToTrustFile(), DiskOperations.OwnerOnlyFile);
}
