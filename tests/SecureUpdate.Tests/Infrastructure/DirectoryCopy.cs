using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>Copies a folder tree exactly: files with their modes, folders with their modes, symlinks as symlinks.</summary>
public static class DirectoryCopy
{
    public static void Copy(string source, string destination) =>
        Walk(source, destination, (from, to) =>
        {
            File.Copy(from.FullName, to);
            SetMode(to, from);
        });

    /// <summary>
    /// Like <see cref="Copy"/>, but regular files become hard links to the source's: a copy of a
    /// target with a thousand files takes milliseconds (creating a file costs about a millisecond on
    /// the test machine). Safe for targets because no command writes into an installed file in place:
    /// it reads or removes them; a change in place would also show, since the crash trials compare
    /// the files <c>current</c> points at with the release input.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public static void CopyWithHardLinks(string source, string destination) =>
        Walk(source, destination, (from, to) =>
        {
            if (Link(from.FullName, to) != 0)
            {
                throw new IOException($"Cannot hard-link '{from.FullName}' to '{to}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        });

    private static void Walk(string source, string destination, Action<FileSystemInfo, string> copyFile)
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
                Walk(child.FullName, target, copyFile);
            }
            else
            {
                copyFile(info, target);
            }
        }

        SetMode(destination, from);
    }

    private static void SetMode(string path, FileSystemInfo source)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, source.UnixFileMode);
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link(string existingPath, string newPath);
}
