namespace SecureUpdate.Tests.Infrastructure;

/// <summary>Copies a folder tree exactly: files with their modes, folders with their modes, symlinks as symlinks.</summary>
public static class DirectoryCopy
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
            else
            {
                File.Copy(info.FullName, target);
                SetMode(target, info);
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
}
