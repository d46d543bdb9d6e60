using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Install;

/// <summary>
/// A program that lives inside an installed target, verified against the signed manifest the target kept for its
/// version (the detached-manifest mode of verified launch): <c>TARGET/versions/V/REL</c> (also reached through
/// <c>TARGET/current/REL</c>) against the entry REL of version V, or the file of a single-file target against the
/// version its state says it holds. The signed manifest covers the whole file, so nothing needs to be embedded in it.
/// </summary>
internal sealed class InstalledProgram
{
    private InstalledProgram(TargetLayout layout, string? version, string relativePath)
    {
        Layout = layout;
        Version = version;
        RelativePath = relativePath;
    }

    /// <summary>The target that holds the program.</summary>
    public TargetLayout Layout { get; }

    /// <summary>The version folder it is in, or null for a single-file target (whose state says which version it holds).</summary>
    public string? Version { get; }

    /// <summary>Its path in the release, with <c>/</c> separators (a single file's own name).</summary>
    public string RelativePath { get; }

    /// <summary>
    /// The installed target that holds <paramref name="realPath"/> (a path with every symlink resolved, as the kernel
    /// holds it for an open descriptor), or null when it is in none: then the program must carry its own signatures.
    /// </summary>
    public static InstalledProgram? Locate(IFileSystem fileSystem, string realPath)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        if (fileSystem.Path.GetDirectoryName(realPath) is not { } folder)
        {
            return null;
        }

        var single = TargetLayout.ForFile(realPath);
        if (fileSystem.Directory.Exists(single.State))
        {
            return new InstalledProgram(single, null, fileSystem.Path.GetFileName(realPath));
        }

        // A folder target: ROOT/versions/VERSION/… with ROOT/.secure-update beside versions/.
        for (var versionFolder = folder; fileSystem.Path.GetDirectoryName(versionFolder) is { } versions; versionFolder = versions)
        {
            if (fileSystem.Path.GetFileName(versions) == TargetLayout.VersionsName
                && SemanticVersion.TryParse(fileSystem.Path.GetFileName(versionFolder), out _)
                && fileSystem.Path.GetDirectoryName(versions) is { } root
                && TargetLayout.ForFolder(root) is var layout
                && fileSystem.Directory.Exists(layout.State))
            {
                var relative = fileSystem.Path.GetRelativePath(versionFolder, realPath).Replace(fileSystem.Path.DirectorySeparatorChar, '/');
                return new InstalledProgram(layout, fileSystem.Path.GetFileName(versionFolder), relative);
            }
        }

        return null;
    }

    /// <summary>
    /// Checks the target's layout, verifies the kept manifest of the program's version with <paramref name="trust"/>
    /// (no waiver: a hash-allowlisted manifest never starts a program), and compares <paramref name="image"/>, the
    /// bytes that will be executed, with its entry: size, SHA-256 and the executable bit.
    /// </summary>
    /// <returns>The installed version the program belongs to.</returns>
    /// <exception cref="VerificationException">The manifest or the program does not verify, or the program is not an executable of the release.</exception>
    /// <exception cref="ConfigurationException">The target's layout or state is unsafe or unreadable.</exception>
    public string Verify(IFileSystem fileSystem, DiskOperations disk, Stream image, string path, TrustRoot trust)
    {
        ArgumentNullException.ThrowIfNull(image);
        var safety = new TargetSafety(disk);
        safety.CheckLayout(Layout);
        var version = Version ?? TargetState.Read(fileSystem, Layout)?.Current ?? throw Error.ProgramVersionUnknown(path, Layout.Root);
        if (Layout.File is null)
        {
            safety.CheckVersionFolder(Layout, fileSystem.Path.Combine(Layout.RootFolders[0], version));
        }

        var manifest = InstalledManifest.Load(fileSystem, Layout, version, new TrustContext(trust, null, TrustPurpose.Installed), ManifestLimits.Default);
        var entry = Layout.File is null
            ? manifest.Files.FirstOrDefault(f => string.Equals(f.Path, RelativePath, StringComparison.Ordinal))
            : manifest.Files[0];
        if (entry is null)
        {
            throw Error.InstalledMismatch(version, $"'{Printable.Of(RelativePath)}' is not part of the signed release");
        }

        if (!entry.Executable)
        {
            throw Error.InstalledMismatch(version, $"'{Printable.Of(RelativePath)}' is not an executable of the signed release");
        }

        try
        {
            if (image.Length != entry.Size || !CryptographicOperations.FixedTimeEquals(BinarySignature.HashPrefix(image, entry.Size), entry.Sha256))
            {
                throw Error.InstalledMismatch(version, $"'{Printable.Of(RelativePath)}' does not match its signed SHA-256 and size");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable("file to run", path, ex);
        }

        return version;
    }
}
