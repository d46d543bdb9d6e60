using System.IO.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Install;
using SecureUpdate.Platform;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>The library's two kinds of target, wired to the real disk as <c>UpdateClient</c> wires them, for tests of the install layer.</summary>
internal static class InstallTargets
{
    public static FolderTarget Folder(string root)
    {
        var (fileSystem, disk, journal, verifier) = Parts();
        return new FolderTarget(Path.GetFullPath(root), fileSystem, disk, journal, verifier);
    }

    public static FileTarget File(string file)
    {
        var (fileSystem, disk, journal, verifier) = Parts();
        return new FileTarget(Path.GetFullPath(file), fileSystem, disk, journal, verifier, ManifestLimits.Default);
    }

    private static (IFileSystem FileSystem, DiskOperations Disk, Journal Journal, InstallationVerifier Verifier) Parts()
    {
        var fileSystem = new FileSystem();
        var disk = new DiskOperations();
        return (fileSystem, disk, new Journal(fileSystem, disk), new InstallationVerifier(fileSystem, disk, TimeProvider.System));
    }
}
