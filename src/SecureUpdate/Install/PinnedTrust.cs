using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>
/// The trust a target has accepted: <c>trust.json</c>, the newest root it walked to (the one it
/// verifies with), and <c>roots/N.json</c>, every root of its chain it accepted, as received. The
/// pinned root only ever moves forward along its chain; a root given later must be the pinned one
/// or an earlier root of the same chain, unless the target is re-provisioned on purpose.
/// </summary>
internal static class PinnedTrust
{
    /// <summary>Reads the pinned trust root.</summary>
    /// <exception cref="ConfigurationException">The target has none, or it is not valid.</exception>
    public static TrustRoot Load(IFileSystem fileSystem, IInstallTarget target) =>
        TryLoad(fileSystem, target) ?? throw Error.NoPinnedTrust(target.Location);

    /// <summary>Reads the pinned trust root, or null when the target has none yet.</summary>
    /// <exception cref="ConfigurationException">It is not valid.</exception>
    public static TrustRoot? TryLoad(IFileSystem fileSystem, IInstallTarget target) =>
        fileSystem.File.Exists(target.Layout.PinnedTrust) ? TrustRoot.Load(fileSystem, target.Layout.PinnedTrust) : null;

    /// <summary>
    /// The root to verify installed versions with: the pinned root, after checking that
    /// <paramref name="given"/> (when given) is it or an earlier root of its chain.
    /// </summary>
    /// <exception cref="VerificationException">The root given is not continuous with the pinned one.</exception>
    /// <exception cref="ConfigurationException">Nothing is pinned and nothing was given.</exception>
    public static TrustRoot ForInstalled(IFileSystem fileSystem, IInstallTarget target, TrustRoot? given)
    {
        var pinned = TryLoad(fileSystem, target);
        if (pinned is null)
        {
            return given ?? throw Error.NoPinnedTrust(target.Location);
        }

        return given is null || IsContinuous(fileSystem, target, pinned, given)
            ? pinned
            : throw Error.TrustMismatch(target.Location, given.Version, pinned.Version);
    }

    /// <summary>
    /// Whether <paramref name="given"/> is the pinned root, an earlier root the target accepted, or a
    /// root of <paramref name="walked"/> (a newer root of the same chain, just verified from the pinned one).
    /// </summary>
    public static bool IsContinuous(IFileSystem fileSystem, IInstallTarget target, TrustRoot pinned, TrustRoot given, IEnumerable<TrustRoot>? walked = null)
    {
        if (given.IsSameAs(pinned) || (walked ?? []).Any(given.IsSameAs))
        {
            return true;
        }

        var earlier = target.Layout.RootFile(given.Version);
        if (given.Version > pinned.Version || !fileSystem.File.Exists(earlier))
        {
            return false;
        }

        // roots/N.json holds the root's bytes as accepted (for version 0, its canonical form), so comparing bytes is enough.
        try
        {
            return given.Bytes.AsSpan().SequenceEqual(LocalFiles.ReadCapped(fileSystem, earlier, TrustRoot.MaxFileBytes, "trust file"));
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Pins <paramref name="newest"/> durably, keeping every root from <paramref name="start"/> on in
    /// <c>roots/</c> first, so that a crash leaves either the old or the new pinned root and never a
    /// pinned root whose chain was not kept.
    /// </summary>
    public static void Pin(DiskOperations disk, IFileSystem fileSystem, IInstallTarget target, TrustRoot start, IEnumerable<TrustRoot> steps, TrustRoot newest, bool replace)
    {
        if (replace)
        {
            // Re-provisioned on purpose: the roots of the chain it replaces say nothing about the new one.
            fileSystem.DeletePath(target.Layout.Roots);
        }

        disk.CreateDirectory(target.Layout.Roots, DiskOperations.OwnerOnlyDirectory);
        foreach (var root in steps.Prepend(start))
        {
            var file = target.Layout.RootFile(root.Version);
            if (!fileSystem.File.Exists(file))
            {
                disk.WriteFileAtomic(file, root.Bytes, DiskOperations.OwnerOnlyFile);
            }
        }

        disk.WriteFileAtomic(target.Layout.PinnedTrust, newest.Bytes, DiskOperations.OwnerOnlyFile);
    }
}
