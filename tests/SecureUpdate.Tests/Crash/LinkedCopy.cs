using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// Copies a target for one trial in a few milliseconds: folders and symlinks are made anew (with their modes), regular files
/// are hard links to the source's. Creating a file costs about a millisecond on the test machine, and a trial target holds
/// over a thousand. Safe because no command writes into an installed file in place: it reads them, or removes them; a
/// change in place would also show, since every trial compares the files <c>current</c> points at with the release input.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class LinkedCopy
{
    public static void Copy(string source, string destination)
    {
        var from = new DirectoryInfo(source);
        Directory.CreateDirectory(destination);
        foreach (var info in from.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, info.Name);
            if (info.LinkTarget is { } linkTarget)
            {
                File.CreateSymbolicLink(target, linkTarget);
            }
            else if (info is DirectoryInfo child)
            {
                Copy(child.FullName, target);
            }
            else if (Link(info.FullName, target) != 0)
            {
                throw new IOException($"Cannot hard-link '{info.FullName}' to '{target}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }

        File.SetUnixFileMode(destination, from.UnixFileMode);
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link(string existingPath, string newPath);
}
